from django import template
from django.utils import timezone

from mamori.core.actions import record_actions_for
from mamori.core.calendar import fiscal_year_choices
from mamori.core.calendar import wareki as _wareki

register = template.Library()


@register.filter
def wareki(value, arg: str = ""):
    """{{ day|wareki }} → 令和6年7月29日; {{ day|wareki:"full,weekday" }} for full-width and （月）."""
    if not value:
        return "—"
    opts = set(arg.split(",")) if arg else set()
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value)
        text = _wareki(value.date(), full="full" in opts)
        return f"{text} {value:%H:%M}" if "time" in opts else text
    return _wareki(value, full="full" in opts, weekday="weekday" in opts)


FORMAT_LABELS = {"pdf": "PDF", "docx": "Word（DOCX）", "xlsx": "Excel（XLSX）", "json": "JSON", "csv": "CSV"}


@register.filter
def number(value):
    """A count as a person writes it: 12,371 (one format on every page: 「12,371人」, never 「142000人」)."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def format_label(fmt: str) -> str:
    """pdf → PDF, docx → Word（DOCX）: how a download link names its format."""
    return FORMAT_LABELS.get(fmt, fmt.upper())


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("core/record_actions.html", takes_context=True)
def record_actions(context, record):
    """What higher apps offer on this record's page (core.actions), for the signed-in user."""
    return {"actions": record_actions_for(context["request"].user, record)}


@register.simple_tag
def fiscal_year_options(selected=None, back: int = 10):
    """[(2024, 令和6年度, selected?) …] for this 年度 and the ``back`` before it (core/fiscal_year_select.html)."""
    choices = fiscal_year_choices(timezone.localdate(), back=int(back))
    return [(year, label, year == selected) for year, label in choices]
