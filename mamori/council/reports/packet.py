"""The bound council packet: 次第 and 資料1〜7 in the 議題's order, with a 目次, as one PDF, one DOCX or a ZIP.

The parts are assembled generically: the meeting's own documents (``MEETING_DOCUMENTS``, passed in by
``council.reports``), then the yearly reports of ``core.reports.ANNUAL`` for the year before the meeting, each
followed by the annexes its app registers in ``core.reports.ANNEXES`` (the 委託 report's 特記事項 in force on the
meeting's date, then its 別紙). They are
ordered by the 議題 each belongs to (a 資料's topic found in the 議題's wording), then by the 資料's number.

PDF (docs/adr/0016-bound-packet.md): every part is rendered by its own module with its own page numbers off
(``rendering.extra_pdf_css``); pypdf joins them, adds one bookmark per part, and lays over every page a sheet
rendered by WeasyPrint that carries the packet's 「- 3 -」 page numbers (and the 資料 label on a part's first
page when the part does not print it itself). DOCX: docxcompose appends the parts' bodies after the 目次, a page
break before each. ZIP: each part's own DOCX and PDF, with 目次.txt.
"""
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Callable

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxcompose.composer import Composer
from pypdf import PdfReader, PdfWriter

from mamori.core import rendering
from mamori.core.calendar import fiscal_year_label, fullwidth, wareki
from mamori.core.models import MunicipalSettings
from mamori.core.reports import ANNEXES, ANNUAL, NoData
from mamori.council import trends
from mamori.council.models import Meeting

# Each part is rendered with its own footer off: the packet numbers its pages once, over the whole.
NO_OWN_PAGE_NUMBERS = "@page { @bottom-center { content: none !important; } }"
LABEL = re.compile(r"^(資料\s*\d+)(?:（(.+)）)?$")
FORMATS = ("pdf", "docx", "zip")


def _file_safe(text: str) -> str:
    """A file name inside the ZIP: no path separators, no characters Windows refuses, no spaces."""
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)


@dataclass
class Part:
    key: str
    label: str  # 資料１ ("" for 次第 and an annex)
    title: str
    context: object
    renderers: dict  # fmt -> (context) -> bytes
    annex_of: str = ""  # an annex printed after its 資料 (特記事項・別紙): that 資料's label; it has no label of its own

    def render(self, fmt: str) -> bytes:
        return self.renderers[fmt](self.context)

    @property
    def heading(self) -> str:
        return f"{self.label}　{self.title}" if self.label else self.title

    @property
    def file_stem(self) -> str:
        stem = f"{self.label or (f'{self.annex_of}参考' if self.annex_of else '次第')}_{self.title}"
        return _file_safe(stem)


@dataclass
class PacketContext:
    meeting: str  # 令和６年度第１回
    council: str
    date: str
    parts: list[Part]
    missing: list[str] = field(default_factory=list)  # 「資料６（令和５年度の記録がありません）」
    annexes_after: list = field(default_factory=list)  # further pages (the charts annex): (title, pdf renderer, docx filler)


def label_number(label: str) -> int:
    """The number of a 資料 label (「資料３」, 「資料1（新規分）」 → 3, 1); 0 for 次第."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", label))
    return int(digits) if digits else 0


def _printed_title(part: Part) -> str:
    """A document registered without a title: the first line it prints that is not its label (its heading)."""
    label = unicodedata.normalize("NFKC", part.label)
    for p in Document(io.BytesIO(part.render("docx"))).paragraphs:
        text = p.text.strip()
        if text and unicodedata.normalize("NFKC", text) != label:
            return text[:80]
    return ""


def _position(agenda: list[str], keywords: tuple[str, ...]) -> int:
    """The 議題 a 資料 belongs to: the first whose wording names its topic; after all 議題 when none does."""
    for i, item in enumerate(agenda):
        if any(k and k in item for k in keywords):
            return i
    return len(agenda)


def context(meeting: Meeting, documents, *, charts: bool = False) -> PacketContext:
    """The parts of ``meeting``'s packet; ``documents`` are council.reports.MEETING_DOCUMENTS' values."""
    year = meeting.fiscal_year - 1
    ordered: list[tuple[tuple, list[Part]]] = []
    missing: list[str] = []
    for d in documents:
        m = LABEL.match(d.label)
        label, topic = (fullwidth(m.group(1).replace(" ", "")), m.group(2) or "") if m else ("", "")
        try:
            document_context = d.context(meeting)
        except NoData as nothing:  # e.g. 資料7 when no handbook was revised since the last meeting
            missing.append(f"{label or d.label}（{nothing}）")
            continue
        part = Part(d.key, label, d.title or topic, document_context, {"pdf": d.module.render_pdf, "docx": d.module.render_docx})
        part.title = part.title or _printed_title(part) or d.label
        parts = [part]
        if d.key == "agenda":
            ordered.append(((-1, 0), parts))
            continue
        ordered.append(((_position(meeting.agenda, (topic.removesuffix("分"),)), label_number(label)), parts))
    for report in sorted(ANNUAL.values(), key=lambda r: label_number(r.label)):
        label = fullwidth(report.label)
        if not {"pdf", "docx"} <= set(report.renderers):
            continue
        try:
            ctx = report.context(year)
        except NoData:
            missing.append(f"{label}（{fiscal_year_label(year)}の{report.topic}の記録がありません）")
            continue
        parts = [Part(report.key, label, f"{report.title.removeprefix(report.label).strip()}（{fullwidth(fiscal_year_label(year))}）", ctx, report.renderers)]
        for annex in ANNEXES.get(report.key, ()):
            try:
                annex_ctx = annex.context(year, on=meeting.date)
            except NoData as nothing:  # e.g. no 特記事項 text kept: said in the 目次 note, the rest printed
                missing.append(f"{label}の{annex.title}（{nothing}）")
                continue
            parts.append(Part(f"{report.key}-{annex.key}", "", annex.title, annex_ctx, annex.renderers, annex_of=label))
        ordered.append(((_position(meeting.agenda, (report.topic,)), label_number(label)), parts))
    ordered.sort(key=lambda pair: pair[0])
    settings = MunicipalSettings.current()
    ctx = PacketContext(meeting=fullwidth(meeting.title), council=meeting.council_name or settings.council_name,
                        date=wareki(meeting.date, weekday=True, full=True), parts=[p for _, group in ordered for p in group], missing=missing)
    if charts:
        drawn = [c for c in trends.charts(until=year) if not c.empty]
        if drawn:
            title = f"付録 年度の推移（{trends.caption_years(drawn)}）"
            ctx.annexes_after.append((title, lambda: _trends_pdf(title, drawn), lambda doc: _trends_docx(doc, title, drawn)))
    return ctx


def _trends_pdf(title: str, drawn: list) -> bytes:
    return rendering.pdf_from_template("council/reports/trends_annex.html", {"title": title, "charts": drawn})


def _trends_docx(doc, title: str, drawn: list) -> None:
    """The annex in Word: each chart's table (the drawings are in the PDF)."""
    rendering.paragraph(doc, title, align="center", bold=True, size=13, space_after=4)
    rendering.paragraph(doc, "グラフはPDF版の付録にあります。ここには各グラフの数値を載せます。", space_after=6)
    for chart in drawn:
        rendering.paragraph(doc, chart.title, bold=True, space_after=2)
        head = ["年度", *(s.label for s in chart.series), *([chart.rate.label] if chart.rate else []), "出典"]
        body = [[r["year"], *r["values"], *([r["rate"]] if chart.rate else []), r["source"]] for r in chart.rows]
        inner = len(head) - 2
        rendering.docx_table(doc, rendering.Table(widths=(26, *([round(100 / inner)] * inner), 44), head=[[rendering.Head(h) for h in head]],
                                                  body=body, align=("center", *(["right"] * inner), "left")))
        rendering.paragraph(doc, f"単位：{chart.unit}。{chart.note}{chart.source_note}", space_after=6)


# ---------------------------------------------------------------- PDF

@dataclass
class Entry:
    label: str
    title: str
    page: int
    annex: bool = False


def _index_pdf(ctx: PacketContext, entries: list[Entry]) -> bytes:
    return rendering.pdf_from_template("council/reports/packet_index.html", {"c": ctx, "entries": entries})


def _first_page_has_label(page, label: str) -> bool:
    head = unicodedata.normalize("NFKC", (page.extract_text() or "")[:200]).replace(" ", "")
    return unicodedata.normalize("NFKC", label) in head


def render_pdf(ctx: PacketContext, *, progress: Callable[[int, str], None] | None = None) -> bytes:
    step = progress or (lambda percent, text: None)
    rendered: list[tuple[Part | None, PdfReader]] = []
    with rendering.extra_pdf_css(NO_OWN_PAGE_NUMBERS):
        for i, part in enumerate(ctx.parts):
            step(5 + 70 * i // max(1, len(ctx.parts)), f"{part.heading}を作成しています")
            rendered.append((part, PdfReader(io.BytesIO(part.render("pdf")))))
        for title, pdf_renderer, _ in ctx.annexes_after:
            rendered.append((Part("annex", "", title, None, {}), PdfReader(io.BytesIO(pdf_renderer()))))
        step(78, "目次を作成しています")
        # The 目次 numbers every page, itself included: render it once to learn its length, again if that moved the parts.
        index_pages, index = 1, None
        for _ in range(3):
            entries, page = [], index_pages + 1
            for part, reader in rendered:
                entries.append(Entry(part.label, part.title, page, annex=bool(part.annex_of)))
                page += len(reader.pages)
            index = PdfReader(io.BytesIO(_index_pdf(ctx, entries)))
            if len(index.pages) == index_pages:
                break
            index_pages = len(index.pages)
    step(85, "ページ番号としおりを付けています")
    writer = PdfWriter()
    writer.append(index, import_outline=False)
    writer.add_outline_item(title="目次", page_number=0)
    stamps: dict[int, str] = {}
    parent = None  # an annex's bookmark sits under its 資料's
    for part, reader in rendered:
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        item = writer.add_outline_item(title=f"{part.label} {part.title}" if part.label else part.title, page_number=start,
                                       parent=parent if part.annex_of else None)
        if not part.annex_of:
            parent = item
        if part.label and not _first_page_has_label(reader.pages[0], part.label):
            stamps[start] = part.label
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    overlay = PdfReader(io.BytesIO(rendering.pdf_from_template("council/reports/packet_overlay.html", {"pages": _overlay_pages(sizes, stamps)})))
    for page, sheet in zip(writer.pages, overlay.pages):
        page.merge_page(sheet)
    writer.add_metadata({"/Title": f"{ctx.meeting} {ctx.council} 会議資料"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay_pages(sizes: list[tuple[float, float]], stamps: dict[int, str]) -> list[dict]:
    """One sheet per page of the packet, named by its size (pt) so a landscape page gets a landscape sheet."""
    names: dict[tuple[float, float], str] = {}
    pages = []
    for i, (w, h) in enumerate(sizes):
        name = names.setdefault((round(w, 1), round(h, 1)), f"s{len(names)}")
        pages.append({"size": name, "width": round(w, 1), "height": round(h, 1), "stamp": stamps.get(i, "")})
    return pages


# ---------------------------------------------------------------- DOCX

def _index_docx(ctx: PacketContext) -> Document:
    doc = rendering.new_document(font_size=11)
    rendering.paragraph(doc, ctx.meeting, align="center", size=13)
    rendering.paragraph(doc, f"{ctx.council} 会議資料", align="center", bold=True, size=14, space_after=4)
    rendering.paragraph(doc, ctx.date, align="center", space_after=12)
    rendering.paragraph(doc, "目　次", align="center", bold=True, size=13, space_after=6)
    rows = [[p.label, p.title, ""] for p in ctx.parts] + [["", t, ""] for t, _, _ in ctx.annexes_after]
    table = rendering.docx_table(doc, rendering.Table(widths=(26, 126, 18), head=[[rendering.Head("資料"), rendering.Head("件名"), rendering.Head("ページ")]],
                                                      body=rows, align=("center", "left", "right")))
    # the page: a PAGEREF to the part's bookmark (_start_on_new_page), which Word and LibreOffice fill in
    for i, row in enumerate(table.rows[1:]):
        rendering.add_field(row.cells[2].paragraphs[0], f" PAGEREF {_bookmark(i)} \\h ")
    for line in ctx.missing:
        rendering.paragraph(doc, f"※{line}")
    _packet_footer(doc)
    update = OxmlElement("w:updateFields")  # Word refreshes the page references when the document opens
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)
    return doc


def _bookmark(i: int) -> str:
    return f"mamori_part_{i + 1}"


def _packet_footer(doc) -> None:
    """「- PAGE -」 centred in the footer: Word numbers the whole packet on."""
    rendering.page_number_footer(doc)
    p = doc.sections[0].footer.paragraphs[0]
    field_run = p.runs[0]._r
    field_run.addprevious(p.add_run("- ")._r)
    p.add_run(" -")


def render_docx(ctx: PacketContext, *, progress: Callable[[int, str], None] | None = None) -> bytes:
    step = progress or (lambda percent, text: None)
    composer = Composer(_index_docx(ctx))
    for i, part in enumerate(ctx.parts):
        step(5 + 85 * i // max(1, len(ctx.parts)), f"{part.heading}を作成しています")
        doc = Document(io.BytesIO(part.render("docx")))
        _start_on_new_page(doc, part.label, _bookmark(i))
        composer.append(doc)
    for j, (_, _, fill) in enumerate(ctx.annexes_after):
        doc = rendering.new_document()
        fill(doc)
        _start_on_new_page(doc, "", _bookmark(len(ctx.parts) + j))
        composer.append(doc)
    return rendering.docx_bytes(composer.doc)


def _start_on_new_page(doc, label: str, bookmark: str) -> None:
    """The part starts a new page, with its 資料 label on top when it does not print it, and a bookmark the 目次 refers to."""
    body = doc.element.body
    first = body[0] if len(body) and body[0].tag == qn("w:p") else None
    printed = unicodedata.normalize("NFKC", "".join(p.text for p in doc.paragraphs[:2]))
    if label and unicodedata.normalize("NFKC", label) not in printed:
        stamp = OxmlElement("w:p")
        body.insert(0, stamp)
        paragraph = doc.paragraphs[0]
        paragraph.add_run(label)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        first = stamp
    if first is None:  # the part opens with a table: an empty paragraph before it carries the break
        first = OxmlElement("w:p")
        body.insert(0, first)
    paragraph = doc.paragraphs[0]
    paragraph.paragraph_format.page_break_before = True
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    number = bookmark.rsplit("_", 1)[1]
    start.set(qn("w:id"), number)
    start.set(qn("w:name"), bookmark)
    end.set(qn("w:id"), number)
    pPr = paragraph._p.find(qn("w:pPr"))
    (pPr.addnext if pPr is not None else lambda el: paragraph._p.insert(0, el))(start)
    paragraph._p.append(end)


# ---------------------------------------------------------------- ZIP

def render_zip(ctx: PacketContext, *, progress: Callable[[int, str], None] | None = None) -> bytes:
    step = progress or (lambda percent, text: None)
    buffer = io.BytesIO()
    lines = [f"{ctx.meeting} {ctx.council} 会議資料", ctx.date, "", "目次"]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for i, part in enumerate(ctx.parts):
            step(5 + 85 * i // max(1, len(ctx.parts)), f"{part.heading}を作成しています")
            names = []
            for fmt in ("docx", "pdf"):
                name = f"{part.file_stem}.{fmt}"
                z.writestr(name, part.render(fmt))
                names.append(name)
            lines.append(f"{part.heading}　（{'、'.join(names)}）")
        for title, pdf_renderer, fill in ctx.annexes_after:
            doc = rendering.new_document()
            fill(doc)
            stem = _file_safe(title.replace("付録 ", "付録_"))
            z.writestr(f"{stem}.docx", rendering.docx_bytes(doc))
            z.writestr(f"{stem}.pdf", pdf_renderer())
            lines.append(f"{title}　（{stem}.docx、{stem}.pdf）")
        lines += [f"※{line}" for line in ctx.missing]
        z.writestr("目次.txt", "\r\n".join(lines) + "\r\n")
    return buffer.getvalue()


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "zip": render_zip}


def file_name(ctx: PacketContext, fmt: str) -> str:
    return f"{ctx.meeting}_会議資料.{fmt}"
