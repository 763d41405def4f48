"""Bar charts as inline SVG, drawn on the server (no script): the council's 「年度の推移」 page and the packet's annex.

A chart is data (``Chart``: years, series, where each year's figures came from); ``svg(chart)`` draws it. The
page and the PDF show the same SVG, with the figures in a table beside it (council/chart.html), so the chart is
never the only way to read them. The colours are Digital Agency design tokens (vendor/tokens.css), written out
because a PDF has no CSS variables; each has at least 3:1 contrast against white (WCAG 1.4.11).
"""
import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from mamori.core.calendar import fiscal_year_label

PALETTE = (
    ("blue-900", "#0017c1"),
    ("orange-800", "#c74700"),
    ("green-700", "#1d8b56"),
    ("purple-700", "#6f23d0"),
    ("cyan-900", "#006f83"),
)
GRID, AXIS, TEXT = "#cccccc", "#666666", "#1a1a1a"  # neutral-solid-gray-200, -600, -900
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 52, 34
BAR_MAX = 56  # px: a chart of one or two years keeps bars of a bar's width

SOURCES = {"live": "システムの記録", "history": "過去の会議資料", "": "—"}  # 過去の会議資料: a packet read in and accepted


@dataclass
class Series:
    label: str
    values: list  # one per year; None where the year has no figure


@dataclass
class Chart:
    key: str
    title: str
    unit: str  # 件, 文書, 者 …
    years: list[int]
    series: list[Series]
    sources: list[str]  # per year: "live", "history" or ""
    stacked: bool = False
    rate: Series | None = None  # a percentage per year (公開率), printed over the bar and in the table
    note: str = ""
    colors: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.colors = [PALETTE[i % len(PALETTE)][1] for i in range(len(self.series))]

    @property
    def rows(self) -> list[dict]:
        """The table beside the chart: one row per year."""
        return [{"year": fiscal_year_label(y), "values": [_number(s.values[i]) for s in self.series],
                 "rate": f"{_number(self.rate.values[i])}％" if self.rate and self.rate.values[i] is not None else "—",
                 "source": SOURCES[self.sources[i]]}
                for i, y in enumerate(self.years)]

    @property
    def drawing(self) -> str:
        return mark_safe(svg(self))  # noqa: S308 — built here from numbers and escaped labels

    @property
    def legend(self) -> list[tuple[str, str]]:
        return list(zip((s.label for s in self.series), self.colors))

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)

    @property
    def source_note(self) -> str:
        """「令和3〜4年度は過去の会議資料、令和5年度はシステムの記録」: which year came from where."""
        parts = []
        for kind in ("history", "live"):
            years = [fiscal_year_label(y) for y, s in zip(self.years, self.sources) if s == kind]
            if years:
                parts.append(f"{'・'.join(years)}は{SOURCES[kind]}")
        if not parts:
            return "数値がありません。"
        accepted = "過去の会議資料の数値は、取り込んで確認済みのものです。" if "history" in self.sources else ""
        return f"{'、'.join(parts)}によります。{accepted}"


def _nice_max(value: float) -> tuple[float, float]:
    """An axis top at or above ``value`` and its step (1, 2 or 5 times a power of ten, four to five steps)."""
    if value <= 0:
        return 4, 1
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if step < 1:
        step = 1
    return step * math.ceil(value / step), step


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def svg(chart: Chart) -> str:
    """The chart as an <svg> element (role=img, its title the chart's caption; the figures are in the table)."""
    n = max(1, len(chart.years))
    totals = [sum(s.values[i] or 0 for s in chart.series) if chart.stacked else max([s.values[i] or 0 for s in chart.series] or [0])
              for i in range(len(chart.years))]
    top, step = _nice_max(max(totals or [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y_of = lambda v: TOP + plot_h - plot_h * (v / top)  # noqa: E731 — the one scale of this chart
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
           f'aria-labelledby="chart-{chart.key}-title" class="chart" font-size="12" font-family="Noto Sans JP, Mamori-Gothic, sans-serif">',
           f'<title id="chart-{chart.key}-title">{escape(chart.title)}（数値は表のとおり）</title>']
    # legend across the top
    x = LEFT
    for label, color in chart.legend:
        out.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{color}"/><text x="{x + 16}" y="18" fill="{TEXT}">{escape(label)}</text>')
        x += 28 + 12 * len(label)
    # grid and scale
    value = 0.0
    while value <= top + 1e-9:
        y = y_of(value)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID if value else AXIS}" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">{_number(value)}</text>')
        value += step
    out.append(f'<text x="4" y="{TOP - 14}" fill="{TEXT}">（{escape(chart.unit)}）</text>')
    slot = plot_w / n
    for i, year in enumerate(chart.years):
        x0 = LEFT + slot * i
        out.append(f'<text x="{x0 + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="{TEXT}">{escape(fiscal_year_label(year))}</text>')
        if chart.stacked:
            width, base = min(slot * 0.5, BAR_MAX), 0.0
            for s, color in zip(chart.series, chart.colors):
                v = s.values[i] or 0
                if v:
                    out.append(f'<rect x="{x0 + (slot - width) / 2:.1f}" y="{y_of(base + v):.1f}" width="{width:.1f}" height="{y_of(base) - y_of(base + v):.1f}" '
                               f'fill="{color}" stroke="#ffffff" stroke-width="1"/>')
                base += v
            head = y_of(base)
        else:
            k = max(1, len(chart.series))
            width = min(slot * 0.7 / k, BAR_MAX)
            left = x0 + (slot - width * k) / 2
            for j, (s, color) in enumerate(zip(chart.series, chart.colors)):
                v = s.values[i]
                if v:
                    out.append(f'<rect x="{left + width * j:.1f}" y="{y_of(v):.1f}" width="{width:.1f}" height="{y_of(0) - y_of(v):.1f}" fill="{color}"/>')
                if v is not None and k <= 3:
                    out.append(f'<text x="{left + width * (j + 0.5):.1f}" y="{y_of(v or 0) - 4:.1f}" text-anchor="middle" font-size="11" fill="{TEXT}">{_number(v)}</text>')
            head = y_of(totals[i])
        if chart.rate and chart.rate.values[i] is not None:
            out.append(f'<text x="{x0 + slot / 2:.1f}" y="{head - 6:.1f}" text-anchor="middle" font-weight="bold" fill="{TEXT}">{_number(chart.rate.values[i])}％</text>')
        if chart.sources[i] == "history":
            out.append(f'<text x="{x0 + slot / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle" font-size="10" fill="{AXIS}">過去資料</text>')
    out.append("</svg>")
    return "".join(out)
