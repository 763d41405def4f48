"""The 交付 set of a request: the redacted files, the decision notices and an index, as a ZIP and as one print-ready
PDF (index, notices, then each file), with the page counts and the 写しの交付 fee (rules.copy_fee).

``context(request)`` reads everything (the files' bytes included) into a dataclass; the renderers never query."""
import csv
import io
import zipfile
from dataclasses import dataclass, field

import pypdfium2
from django.utils import timezone

from mamori.core import rendering
from mamori.core.calendar import wareki
from mamori.core.models import MunicipalSettings
from mamori.core.redaction.reading import PDFIUM
from mamori.disclosure import notices, rules
from mamori.disclosure.models import Decision, FileStatus, Request
from mamori.disclosure.reports import notices as notice_documents

DELIVERED = (Decision.DISCLOSE, Decision.PARTIAL)
NOTICE_KINDS = tuple(k for k, decisions in notices.DECISION_KINDS.items() if set(decisions) & set(DELIVERED))


class NotReady(Exception):
    """The set cannot be made yet; ``problems`` say what to do first."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class Entry:
    number: int
    document: str
    decision: str
    file_name: str
    pages: int
    colour: bool
    sha256: str
    data: bytes = field(repr=False, default=b"")

    @property
    def zip_name(self) -> str:
        stem = self.file_name.rsplit(".", 1)[0]
        return f"文書/{self.number:02d}_{stem}（黒塗り済み）.pdf" if self.decision != "公開" else f"文書/{self.number:02d}_{stem}.pdf"


@dataclass
class DeliveryDoc:
    number: str
    date: str
    organ: str
    procedure: str
    entries: list[Entry]
    notices: list[tuple[str, bytes]]  # (file name, PDF)
    paper_only: list[str]  # documents decided for disclosure that have no file here (handed over on paper)
    fee: rules.Fee
    inspection_fee: int
    fee_rule: str


def context(r: Request) -> DeliveryDoc:
    settings = MunicipalSettings.current()
    problems, entries, paper = [], [], []
    documents = list(r.documents.prefetch_related("files").order_by("id"))
    undecided = [d.title for d in documents if not d.decision]
    if undecided:
        problems.append(f"決定していない文書があります（{'、'.join(undecided[:3])}{'ほか' if len(undecided) > 3 else ''}）。先に決定を記録してください。")
    for d in documents:
        if d.decision not in DELIVERED:
            continue
        files = [f for f in d.files.all() if f.status == FileStatus.READY]
        if not files:
            paper.append(d.title)
        for f in files:
            if not f.redacted:
                problems.append(f"「{d.title}」の「{f.name}」は黒塗りを確定していません（黒塗りがなくても「黒塗りを確定」で交付用のPDFを作ります）。")
                continue
            with f.redacted.open("rb") as fh:
                data = fh.read()
            entries.append(Entry(len(entries) + 1, d.title, d.decision_label, f.name, f.page_count, f.colour, f.redacted_sha256, data))
    issued = [n for n in r.notices.order_by("issued_on", "id") if n.kind in NOTICE_KINDS]
    if documents and not undecided and not issued:
        problems.append("開示（公開）・部分開示（部分公開）の決定通知書がありません。先に「通知書を作成」で作ってください。")
    if not entries and not problems:
        problems.append("交付するファイルがありません。文書にファイルを登録し、黒塗りを確定してください。")
    if problems:
        raise NotReady(problems)
    notice_pdfs = [(f"通知書/{n.number}_{n.title}.pdf", notice_documents.render_pdf(notice_documents.context(n))) for n in issued]
    pages = [e.colour for e in entries for _ in range(e.pages)]
    fee = rules.copy_fee(pages, monochrome=settings.copy_fee_monochrome, colour=settings.copy_fee_colour,
                         double_sided=settings.double_sided, per_side=settings.copy_fee_per_side)
    rule = (f"白黒1面{settings.copy_fee_monochrome:,}円・カラー1面{settings.copy_fee_colour:,}円、"
            f"{'両面' if settings.double_sided else '片面'}印刷、{'片面ごとに1枚' if settings.copy_fee_per_side else '用紙1枚ごと'}に数える（{settings.name}の設定）")
    return DeliveryDoc(r.number, wareki(timezone.localdate(), full=True), r.organ.formal_name, r.get_procedure_display(), entries,
                       notice_pdfs, paper, fee, rules.inspection_fee(len(pages), per_page=settings.inspection_fee), rule)


def render_index_pdf(ctx: DeliveryDoc) -> bytes:
    return rendering.pdf_from_template("disclosure/reports/delivery_index.html", {"d": ctx})


def render_index_csv(ctx: DeliveryDoc) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["番号", "文書", "決定", "ファイル", "ページ数", "色", "SHA-256", "ZIPの中の名前"])
    for e in ctx.entries:
        w.writerow([e.number, e.document, e.decision, e.file_name, e.pages, "カラー" if e.colour else "白黒", e.sha256, e.zip_name])
    w.writerow([])
    w.writerow(["写しの交付の費用", ctx.fee.amount, ctx.fee.explanation])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # with a BOM: Excel opens it as UTF-8


def render_print_pdf(ctx: DeliveryDoc) -> bytes:
    """Index, notices, then every file, as one PDF to print."""
    parts = [render_index_pdf(ctx), *(pdf for _, pdf in ctx.notices), *(e.data for e in ctx.entries)]
    with PDFIUM:  # PDFium is not thread-safe: every use holds core.redaction's lock
        out = pypdfium2.PdfDocument.new()
        try:
            for data in parts:
                part = pypdfium2.PdfDocument(data)
                try:
                    out.import_pages(part)
                finally:
                    part.close()
            buffer = io.BytesIO()
            out.save(buffer)
            return buffer.getvalue()
        finally:
            out.close()


def render_zip(ctx: DeliveryDoc) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("00_交付文書の一覧.pdf", render_index_pdf(ctx))
        zf.writestr("00_交付文書の一覧.csv", render_index_csv(ctx))
        for name, pdf in ctx.notices:
            zf.writestr(name, pdf)
        for e in ctx.entries:
            zf.writestr(e.zip_name, e.data)
    return buffer.getvalue()


def build(r: Request):
    """What file_services.delivery_create keeps: (ZIP, print PDF, pages, fee)."""
    ctx = context(r)
    return render_zip(ctx), render_print_pdf(ctx), ctx.fee.sides, ctx.fee
