"""Every list is paginated, shows its total and sorts by its main columns.

A view names its sortable columns once; ``listing()`` reads ``?sort=`` (``key`` or ``-key``) and
``?page=``, and gives the template the page, the total and the column headings with their links
(``core/list_head.html``, ``core/pagination.html``). An unknown sort key falls back to the default,
so an address typed or kept from an older version never fails.
"""
from dataclasses import dataclass, field

from django.core.paginator import Paginator

PER_PAGE = 50


@dataclass(frozen=True)
class Column:
    key: str                    # the value of ?sort=; "" for a heading that does not sort
    label: str
    order: tuple[str, ...] = ()  # order_by() fields, ascending; a stable tie-breaker is added
    numeric: bool = False       # right-aligned (counts, amounts)


@dataclass
class Listing:
    page: object
    total: int
    heads: list[dict] = field(default_factory=list)
    sort: str = ""


def listing(request, queryset, columns: list[Column], default: str, *, per_page: int = PER_PAGE) -> Listing:
    by_key = {c.key: c for c in columns if c.key}
    wanted = request.GET.get("sort", "") or default
    key = wanted.lstrip("-")
    if key not in by_key:
        wanted, key = default, default.lstrip("-")
    descending = wanted.startswith("-")
    order = [f"-{f.lstrip('-')}" if descending != f.startswith("-") else f.lstrip("-") for f in by_key[key].order]
    queryset = queryset.order_by(*order, "-pk" if descending else "pk")
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    heads = []
    for column in columns:
        head = {"label": column.label, "numeric": column.numeric, "url": "", "state": "none"}
        if column.key:
            current = column.key == key
            next_sort = column.key if (not current or descending) else f"-{column.key}"
            params = request.GET.copy()
            params["sort"] = next_sort
            params.pop("page", None)
            head["url"] = f"?{params.urlencode()}"
            head["state"] = ("descending" if descending else "ascending") if current else "none"
            # what the link does, for a screen reader (the arrow shows the current order to the eye)
            head["hint"] = ("（降順で表示中。押すと昇順に並べ替えます）" if descending else "（昇順で表示中。押すと降順に並べ替えます）") \
                if current else "（押すと昇順に並べ替えます）"
        heads.append(head)
    return Listing(page=page, total=page.paginator.count, heads=heads, sort=wanted)


def active_filters(form) -> list[str]:
    """The filters a list is showing, as the page names them (「種類：再委託」「キーワード：「運用」」), for
    ``core/list_filters.html``, which shows them beside a link that clears them. ``form``: the list's GET form."""
    if not form.is_valid():
        return []
    out = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], False):
            continue
        field = form.fields[name]
        choices = getattr(field, "choices", None)
        if choices:
            out.append(f"{field.label}：{dict((str(k), v) for k, v in choices).get(str(value), value)}")
        elif value is True:
            out.append(str(field.label))
        else:
            out.append(f"{field.label}：「{value}」")
    return out
