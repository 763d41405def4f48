"""Test files for a request's documents: a text PDF made with reportlab and the project's Noto font (Japanese text that
pdfium extracts), a DOCX made with python-docx, and a request with a document to attach them to."""
import io
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from mamori.core import jobs
from mamori.core.models import Job

FONT = Path(__file__).resolve().parents[2] / "core" / "fonts" / "NotoSansJP_400Regular.ttf"
PAGE_W, PAGE_H = A4  # 595.3 × 841.9 points


def text_pdf(pages: list[list[str]], size: int = 12) -> bytes:
    """One line of text every 30 points from the top (72 pt margin) on each page; line i's top is at 72 + 30 i − size."""
    if "NotoSansJP" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NotoSansJP", str(FONT)))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for lines in pages:
        c.setFont("NotoSansJP", size)
        for i, line in enumerate(lines):
            c.drawString(72, PAGE_H - 72 - 30 * i, line)
        c.showPage()
    c.save()
    return out.getvalue()


def docx_file(lines: list[str]) -> bytes:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def run_jobs() -> None:
    """The worker's part: every queued job, in this process."""
    for job in Job.objects.filter(status="queued").order_by("created_at"):
        jobs.execute(str(job.pk))


LETTER = [["面談記録", "相談者 山田太郎 様", "電話 048-463-1111", "内容：児童手当の申請について相談があった。"],
          ["対応記録", "担当者の所見：特になし。"]]
