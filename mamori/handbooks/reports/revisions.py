"""資料7: 「『個人情報保護制度の手引』及び『情報公開事務の手引』の改訂について」, as the seed prints it: a lead paragraph
(the reason and the ordinance's 公布・施行日), then per handbook its title and the 新旧対照表 (該当ページ等 / 改訂前 /
改訂後), the changed words underlined in both columns (handbooks.rules.marks). ``context`` builds the dataclass; the
renderers never query."""
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from docx.enum.text import WD_UNDERLINE

from mamori.core import rendering
from mamori.core.calendar import wareki
from mamori.core.reports import NoData
from mamori.handbooks.models import Revision
from mamori.handbooks.rules import BLANK, Segment, marks

WIDTHS = (34.0, 68.0, 68.0)  # mm: 該当ページ等, 改訂前, 改訂後 (A4 portrait, 170 mm of text)
HEAD = ("該当ページ等", "改訂前", "改訂後")


@dataclass
class Shiryo7Row:
    location: list[str]  # 「５ページ」「下から８行目」: one line each in the cell
    before: list[Segment]
    after: list[Segment]


@dataclass
class Shiryo7Table:
    handbook: str
    rows: list[Shiryo7Row]


@dataclass
class Shiryo7Group:
    lead: str
    tables: list[Shiryo7Table]


@dataclass
class Shiryo7Report:
    label: str  # 資料７
    title: str
    groups: list[Shiryo7Group]


def _titles(names: list[str]) -> str:
    quoted = [f"「{n}」" for n in names]
    return "及び".join(quoted) if len(quoted) <= 2 else "、".join(quoted[:-1]) + "及び" + quoted[-1]


def ordinance_dates(promulgated, enforced) -> str:
    """「令和６年３月２５日公布・施行」, or 「令和６年３月２５日公布、令和６年４月１日施行」."""
    if promulgated and (enforced is None or enforced == promulgated):
        return f"{wareki(promulgated, full=True)}公布・施行"
    if promulgated and enforced:
        return f"{wareki(promulgated, full=True)}公布、{wareki(enforced, full=True)}施行"
    return f"{wareki(enforced, full=True)}施行" if enforced else ""


def lead(revision: Revision, names: list[str]) -> str:
    background = revision.background or f"{revision.reason}のため、条例を改正しました"
    dates = ordinance_dates(revision.promulgated_on, revision.enforced_on)
    return f"{background}{f'（{dates}）' if dates else ''}。これに伴い、{_titles(names)}について、下記のとおり改訂を行いました。"


def context(revisions: list[Revision], *, label: str = "資料７") -> Shiryo7Report:
    """Revisions sharing a reason and dates share one lead paragraph (the seed: two handbooks, one ordinance)."""
    if not revisions:
        raise NoData("この審議会で報告する手引の改訂（前回の審議会の後に改訂日があり、確定したもの）はありません。")
    groups: dict[tuple, list[Revision]] = {}
    for r in revisions:
        groups.setdefault((r.background or r.reason, r.promulgated_on, r.enforced_on), []).append(r)
    out = []
    for members in groups.values():
        names = [r.handbook.name for r in members]
        tables = [Shiryo7Table(r.handbook.name, [Shiryo7Row(row.location.split(), *marks(row.before, row.after)) for row in r.rows.all()])
                  for r in members]
        out.append(Shiryo7Group(lead(members[0], names), tables))
    every = list(dict.fromkeys(r.handbook.name for r in revisions))
    return Shiryo7Report(label=label, title=f"{_titles(every)}の改訂について", groups=out)


def _cell(cell, segments: list[Segment]) -> None:
    """A cell's text, the changed pieces underlined; a line break in the text starts a new paragraph."""
    p = cell.paragraphs[0]
    for s in segments:
        for k, part in enumerate(s.text.split("\n")):
            if k:
                p = cell.add_paragraph()
            if part:
                run = p.add_run(part)
                if s.changed:
                    run.underline = WD_UNDERLINE.SINGLE


def render_docx(ctx: Shiryo7Report) -> bytes:
    doc = rendering.new_document(font_size=10.5)
    rendering.paragraph(doc, ctx.label, align="right", size=12, space_after=6)
    rendering.paragraph(doc, ctx.title, align="center", bold=True, size=12, space_after=12)
    for group in ctx.groups:
        p = rendering.paragraph(doc, group.lead, space_after=12)
        p.paragraph_format.first_line_indent = rendering.Pt(10.5)
        for table in group.tables:
            rendering.paragraph(doc, f"「{table.handbook}」", bold=True, space_after=4)
            t = doc.add_table(rows=1, cols=3)
            t.style = "Table Grid"
            for c, text in enumerate(HEAD):
                rendering.cell_text(t.rows[0].cells[c], text, bold=True)
            for row in table.rows:
                cells = t.add_row().cells
                rendering.cell_text(cells[0], "\n".join(row.location))
                _cell(cells[1], row.before)
                _cell(cells[2], row.after)
            for r in t.rows:
                for c, w in enumerate(WIDTHS):
                    r.cells[c].width = rendering.Mm(w)
            rendering.paragraph(doc, "", space_after=12)
    return rendering.docx_bytes(doc)


def cell_html(segments: list[Segment]) -> str:
    """A cell for the PDF: changed pieces underlined; each full-width blank an inline box one character wide, so a
    long run of blanks (removed words) wraps inside its cell as the words did (a run of spaces would not)."""
    out = []
    for s in segments:
        pieces = [escape(part) for part in s.text.split(BLANK)]
        gap = '<span class="gap"></span>'
        text = gap.join(pieces)
        out.append(f"<u>{text}</u>" if s.changed else text)
    return mark_safe("".join(out).replace("\n", "<br>"))


def render_pdf(ctx: Shiryo7Report) -> bytes:
    cells = {id(row): (cell_html(row.before), cell_html(row.after)) for g in ctx.groups for t in g.tables for row in t.rows}
    tables = [(g.lead, [(t.handbook, [(row.location, *cells[id(row)]) for row in t.rows]) for t in g.tables]) for g in ctx.groups]
    return rendering.pdf_from_template("handbooks/reports/revisions.html", {"r": ctx, "groups": tables, "widths": WIDTHS, "head": HEAD})
