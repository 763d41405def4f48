"""The documents as a person opens them: every generated DOCX and XLSX is opened in a real office suite
(LibreOffice, headless, from Debian), converted to PDF, and read back — page count, headings repeated on
each page, cells that do not wrap their figures, rows that never split (issue 12, documents).

LibreOffice gets a fontconfig of its own that knows only the product's fonts (mamori/core/fonts), with
ＭＳ 明朝 mapped to Noto Serif JP, so the result does not depend on what fonts the machine has.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from mamori.core import rendering
from mamori.core.reports import ANNUAL
from mamori.council.models import Meeting
from mamori.council.reports import notifications
from mamori.incidents.models import Incident
from mamori.incidents.reports import ppc
from mamori.outsourcing.models import Inspection
from mamori.outsourcing.reports import forms
from mamori.register.models import NotificationKind

FY = 2023
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <alias binding="same"><family>ＭＳ 明朝</family><prefer><family>Noto Serif JP</family></prefer></alias>
  <alias binding="same"><family>MS Mincho</family><prefer><family>Noto Serif JP</family></prefer></alias>
  <alias><family>serif</family><prefer><family>Noto Serif JP</family></prefer></alias>
  <alias><family>sans-serif</family><prefer><family>Noto Sans JP</family></prefer></alias>
</fontconfig>
"""


def convert(files: dict[str, bytes], tmp: Path) -> dict[str, list[str]]:
    """Each file through LibreOffice to PDF: name → the text of each page."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.fail("LibreOffice is missing: `make test` installs it (scripts/system-setup.sh test)")
    src, out = tmp / "src", tmp / "out"
    src.mkdir()
    (tmp / "fonts.conf").write_text(FONTS_CONF.format(fonts=rendering.FONT_DIR, cache=tmp / "fc-cache"), encoding="utf-8")
    def stem(name: str) -> str:  # 資料3.docx and 資料3.xlsx must not both become 資料3.pdf
        return name.replace(".", "_")

    for name, data in files.items():
        (src / f"{stem(name)}{Path(name).suffix}").write_bytes(data)
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp / "fonts.conf"), "HOME": str(tmp)}
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *sorted(str(p) for p in src.iterdir())], check=True, env=env, capture_output=True, timeout=240)
    pages = {}
    for name in files:
        with pdfplumber.open(out / f"{stem(name)}.pdf") as pdf:
            pages[name] = [p.extract_text() or "" for p in pdf.pages]
            fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
            # The Japanese text is set in the product's faces (明朝 for the documents; a spreadsheet's default is ゴシック).
            assert any("NotoSerifJP" in f for f in fonts) if name.endswith(".docx") else any("NotoSansJP" in f for f in fonts), (name, fonts)
    return pages


def lines(pages: list[str]) -> list[str]:
    return [line for page in pages for line in page.split("\n")]


@pytest.fixture
def documents(demo, tmp_path):
    files = {}
    for report in ANNUAL.values():
        for fmt in report.file_formats:
            if fmt in ("docx", "xlsx"):
                files[f"{report.code}.{fmt}"] = report.build(FY, fmt)
    meeting = Meeting.objects.get(fiscal_year=2024, number=1)
    files["shiryo1.docx"] = notifications.render_docx(notifications.context(meeting, NotificationKind.NEW))
    inspection = Inspection.objects.filter(method="onsite").first()
    sheet = forms.checksheet(inspection)
    # Long comments, so that the checklist needs two pages: each item's comment is its own marker.
    sheet.rows = [(n, title, content, result, f"K{n:02d} " * 40) for n, title, content, result, _ in sheet.rows]
    files["bessi4.docx"] = forms.checksheet_docx(sheet)
    files["ppc.docx"] = ppc.ppc_docx(ppc.ppc_context(Incident.objects.get(), "kakuhou"))
    assert {"operation-status.docx", "operation-status.xlsx", "outsourcing.docx", "outsourcing.xlsx", "training.docx", "training.xlsx",
            "incidents.docx"} <= set(files)
    return convert(files, tmp_path)


def test_documents_open_in_an_office_suite_with_the_pdf_layout(documents):
    # 資料3: one page; the figures stay on one line in their cells; the XLSX keeps the two-level headings.
    op = documents["operation-status.docx"]
    assert len(op) == 1
    assert any("合計 請求 14件 97文書 6文書 46文書 45文書（44文書）" in line for line in lines(op)), op[0]
    assert "決定の状況" in op[0] and "公開率(％)※" in op[0]
    sheets = documents["operation-status.xlsx"]
    assert len(sheets) == 3  # one page per table, fitted to the width (was 7)
    assert "決定の状況（文書数）" in sheets[0] and "件数 文書数" in sheets[0].replace("\n", " ")
    # 資料5: table ③ is headed 取得状況, not 検査方法; 資料4・6 on one page each.
    out = documents["outsourcing.docx"]
    assert len(out) == 1 and "取得状況 件数等 割合" in out[0] and out[0].count("検査方法") == 1
    assert len(documents["outsourcing.xlsx"]) == 1 and "③プライバシーマーク等の取得状況" in documents["outsourcing.xlsx"][0]
    assert len(documents["training.docx"]) == 1 and len(documents["training.xlsx"]) == 1
    assert len(documents["incidents.docx"]) == 1
    # 資料1: several pages; every page goes on under the repeated 事務事業名 row; the label column is narrow.
    s1 = documents["shiryo1.docx"]
    assert len(s1) >= 3
    for page in s1[1:]:
        assert page.lstrip().startswith("事務事業名"), page[:80]
    assert any(line.startswith("理由及び経緯 ") for line in lines(s1))  # label and text side by side, not a 40 % column
    # 別紙4: the checklist's heading repeats, and no item splits across two pages.
    b4 = documents["bessi4.docx"]
    assert len(b4) == 2 and b4[1].lstrip().startswith("点検項目")
    for n in range(1, 12):
        on = [i for i, page in enumerate(b4) if f"K{n:02d}" in page]
        assert len(on) == 1, (n, on)
    # The PPC draft names the 実施機関 as 報告者.
    assert "報告者（実施機関）：朝霞市教育委員会" in documents["ppc.docx"][0]
