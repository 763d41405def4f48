"""「年度の推移」: the yearly figures the council is shown, as charts, from live records and past packets.

A year's figures come from the system's own records where it holds them (the yearly reports' contexts of
``core.reports.ANNUAL``, as their ``as_json()`` gives them, and the 届出 reported at the year's meetings), and
otherwise from the accepted ``YearFigure`` rows an ingested past packet gave (``council.history`` names the
measures). Each chart says under it which years came from which source.
"""
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from mamori.core.calendar import fiscal_year, fiscal_year_label
from mamori.core.reports import ANNUAL, NoData
from mamori.council.charts import Chart, Series
from mamori.council.models import FigureStatus, FigureTopic, MeetingNotification, YearFigure
from mamori.register.models import NotificationKind

SPAN = 10  # years looked back from the last one shown


@dataclass(frozen=True)
class Line:
    """One series of a chart: where its value is in a yearly report's JSON, and which YearFigure measure holds it."""
    label: str
    path: tuple[str, ...]  # into the report's as_json(); empty = not from a yearly report
    measure: str


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    unit: str
    report: str  # ANNUAL key ("" = the council's own 届出)
    topic: str  # FigureTopic
    lines: tuple[Line, ...]
    stacked: bool = False
    rate: Line | None = None
    note: str = ""


PUBLIC = ("public", "total", "request")
PERSONAL = ("personal", "total")
SPECS = (
    ChartSpec("disclosure-requests", "公文書公開請求の受付件数と文書数", "件・文書", "shiryo3", FigureTopic.DISCLOSURE, (
        Line("受付件数", (*PUBLIC, "cases"), "received"), Line("文書数", (*PUBLIC, "documents"), "documents"))),
    ChartSpec("disclosure-decisions", "公文書公開請求の決定の内訳（文書数）と公開率", "文書", "shiryo3", FigureTopic.DISCLOSURE, (
        Line("公開", (*PUBLIC, "disclosed"), "decided:full"), Line("部分公開", (*PUBLIC, "partial"), "decided:partial"),
        Line("非公開", (*PUBLIC, "nondisclosed"), "decided:refused")), stacked=True,
        rate=Line("公開率", (*PUBLIC, "rate_partial"), "rate"), note="公開率は、文書数に対する公開・部分公開の割合（％、資料3の記載のとおり）です。"),
    ChartSpec("personal-requests", "保有個人情報開示請求の受付件数と文書数", "件・文書", "shiryo3", FigureTopic.PERSONAL, (
        Line("受付件数", (*PERSONAL, "cases"), "received"), Line("文書数", (*PERSONAL, "documents"), "documents"))),
    ChartSpec("personal-decisions", "保有個人情報開示請求の決定の内訳（文書数）", "文書", "shiryo3", FigureTopic.PERSONAL, (
        Line("開示", (*PERSONAL, "disclosed"), "decided:full"), Line("部分開示", (*PERSONAL, "partial"), "decided:partial"),
        Line("不開示", (*PERSONAL, "nondisclosed"), "decided:refused")), stacked=True),
    ChartSpec("notifications", "審議会に報告した届出（種類別）", "件", "", FigureTopic.NOTIFICATIONS, (
        Line("新規", (), NotificationKind.NEW), Line("変更", (), NotificationKind.CHANGE), Line("廃止", (), NotificationKind.ABOLISH)),
        stacked=True, note="その年度に開いた審議会で報告した届出の数です。"),
    ChartSpec("training", "職員への研修（回数と参加者数）", "回・人", "shiryo4", FigureTopic.TRAINING, (
        Line("研修の回数", ("sessions",), "sessions"), Line("参加者数", ("total",), "participants"))),  # 資料4 lists its sessions: counted
    ChartSpec("outsourcing", "個人情報を取り扱う業務の委託", "件・者", "shiryo5", FigureTopic.OUTSOURCING, (
        Line("業務を委託した事業数", ("programs",), "programs"), Line("委託事業者数", ("contractors",), "contractors"))),
    ChartSpec("inspections", "委託先の検査（方法別）", "者", "shiryo5", FigureTopic.OUTSOURCING, (
        Line("実地検査", ("methods", "onsite"), "inspection:onsite"), Line("書面検査", ("methods", "document"), "inspection:written"),
        Line("その他", ("methods", "other"), "inspection:other")), stacked=True),
    ChartSpec("incidents", "個人情報保護委員会への漏えい等の報告", "件", "shiryo6", FigureTopic.INCIDENTS, (
        Line("報告件数", ("count",), "reports"),)),
)


def _dig(data, path):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return len(data) if isinstance(data, list) else data  # a report's rows (資料4's sessions): how many


def _live_reports(years) -> dict[tuple[str, int], dict]:
    keys = {s.report for s in SPECS if s.report}
    out = {}
    for key in keys:
        if key not in ANNUAL:
            continue
        for year in years:
            try:
                out[(key, year)] = ANNUAL[key].context(year).as_json()
            except NoData:
                continue
    return out


def _live_notifications(years) -> dict[int, dict[str, int]]:
    """届出 reported at each fiscal year's meetings, by kind."""
    rows = (MeetingNotification.objects.filter(meeting__fiscal_year__in=list(years))
            .values("meeting__fiscal_year", "notification__kind").annotate(n=Count("pk")))
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["meeting__fiscal_year"], {})[r["notification__kind"]] = r["n"]
    return out


def _figures(years) -> dict[tuple[str, str, int], int | float]:
    rows = YearFigure.objects.filter(status=FigureStatus.ACCEPTED, organ="", fiscal_year__in=list(years))
    return {(f.topic, f.measure, f.fiscal_year): int(f.value) if f.value == int(f.value) else float(f.value) for f in rows}


def charts(*, until: int | None = None) -> list[Chart]:
    """The charts for the years up to ``until`` (default: the last finished fiscal year), first to last year with figures."""
    until = until if until is not None else fiscal_year(timezone.localdate()) - 1
    years = list(range(until - SPAN + 1, until + 1))
    live, notified, figures = _live_reports(years), _live_notifications(years), _figures(years)
    # a year the system holds records of: a yearly report that is not empty for it, or 届出 reported in it
    held = {y for (key, y) in live if key != "shiryo6"} | set(notified)
    built = []
    for spec in SPECS:
        values, sources = [[] for _ in spec.lines], []
        rate = []
        for year in years:
            data = live.get((spec.report, year)) if spec.report else None
            if spec.report == "shiryo6" and year not in held and not _dig(data, ("count",)):
                data = None  # an incident count of 0 for a year before the system: not a record
            if not spec.report and year in notified:
                data = notified[year]
            if data is not None:
                sources.append("live")
                for i, line in enumerate(spec.lines):
                    v = _dig(data, line.path) if spec.report else data.get(line.measure, 0)
                    values[i].append(v)
                rate.append(_dig(data, spec.rate.path) if spec.rate else None)
                continue
            found = [figures.get((spec.topic, line.measure, year)) for line in spec.lines]
            sources.append("history" if any(v is not None for v in found) else "")
            for i, v in enumerate(found):
                values[i].append(v)
            rate.append(figures.get((spec.topic, spec.rate.measure, year)) if spec.rate else None)
        built.append(Chart(spec.key, spec.title, spec.unit, years, [Series(line.label, v) for line, v in zip(spec.lines, values)], sources,
                           stacked=spec.stacked, rate=Series(spec.rate.label, rate) if spec.rate else None, note=spec.note))
    return _trim(built)


def _trim(built: list[Chart]) -> list[Chart]:
    """Drop the years before the first and after the last that any chart has a figure for."""
    used = [i for i in range(len(built[0].years)) if any(c.sources[i] for c in built)] if built else []
    if not used:
        return built
    lo, hi = used[0], used[-1] + 1
    for c in built:
        c.years, c.sources = c.years[lo:hi], c.sources[lo:hi]
        for s in c.series:
            s.values = s.values[lo:hi]
        if c.rate:
            c.rate.values = c.rate.values[lo:hi]
    return built


def caption_years(built: list[Chart]) -> str:
    """「令和3年度〜令和5年度」, or the one year."""
    if not built or not built[0].years:
        return ""
    first, last = built[0].years[0], built[0].years[-1]
    return fiscal_year_label(first) if first == last else f"{fiscal_year_label(first)}〜{fiscal_year_label(last)}"
