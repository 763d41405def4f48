"""The 届出 parser's scores per layout, as text, as a PDF and as a scanned PDF (OCR).

    python -m mamori.bench.ingest_layouts [--pdf narrow,mixed] [--json var/bench-ingest-layouts.json]

Each layout of register/tests/data/layouts (written from the seed's 資料1・2 by register/tests/layouts.py) is
scored against the seed's truth (記録項目 F1, flow F1, department and program accuracy). The layouts named
by ``--pdf`` are also printed to PDF with WeasyPrint and the project's fonts, one printed line a line, read
back as `mamori ingest` reads a PDF, and then rasterised at 200 dpi into an image-only PDF (a scan) and read
through OCR (tesseract jpn). Prints a table; the OCR columns take about 2 s a page.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()  # the project's fonts and settings; the benchmark imports after it (Django is configured first)
    import html
    import tempfile

    import pypdfium2 as pdfium
    from weasyprint import HTML

    from mamori.core.rendering import PDF_FONT_STACK, font_face_css
    from mamori.register.importers.limits import Limits
    from mamori.register.importers.readers import read_document
    from mamori.register.tests.layouts import DATA, NAMES, score

    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", default="narrow,mixed")
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench-ingest-layouts.json")
    args = parser.parse_args()
    limits = Limits(ocr_pages=200, ocr_seconds=1200, seconds=1200)
    args.json.parent.mkdir(exist_ok=True)
    table = {}
    with tempfile.TemporaryDirectory() as directory:
        for name in NAMES:
            text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
            table[f"{name} (txt)"] = score(text)
            if name not in args.pdf.split(","):
                continue
            typed = Path(directory) / f"{name}.pdf"
            css = f"{font_face_css()} @page {{ size: A4; margin: 20mm }} body {{ font-family: {PDF_FONT_STACK}; font-size: 12pt }} p {{ margin: 0 0 4pt; white-space: pre }}"
            HTML(string=f"<style>{css}</style>" + "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in text.splitlines())).write_pdf(typed)
            table[f"{name} (pdf)"] = score(read_document(typed, limits))
            doc = pdfium.PdfDocument(str(typed))
            images = [doc[i].render(scale=200 / 72, grayscale=True).to_pil() for i in range(len(doc))]
            doc.close()
            scan = Path(directory) / f"{name}-scan.pdf"
            images[0].save(scan, save_all=True, append_images=images[1:], resolution=200)
            started, report = time.monotonic(), {}
            scanned = read_document(scan, limits, report=report)
            (args.json.parent / f"bench-ocr-{name}.txt").write_text(scanned, encoding="utf-8")  # to look at what OCR read
            try:
                table[f"{name} (scan)"] = score(scanned) | {"pages": len(images), "ocr_s": round(time.monotonic() - started, 1),
                                                              "ocr_confidence": report["ocr"]["confidence"], "low_lines": len(report["ocr"]["low"])}
            except AssertionError as exc:
                table[f"{name} (scan)"] = {"error": str(exc), "pages": len(images)}
    print(f"{'layout':<18} items F1  flows F1  department  program  notes")
    for name, s in table.items():
        if "error" in s:
            print(f"{name:<18} {s['error']}")
            continue
        notes = f"{s['pages']} pages, OCR {s['ocr_s']} s, confidence {s['ocr_confidence']}%, {s['low_lines']} doubtful lines" if "ocr_s" in s else ""
        print(f"{name:<18} {s['items_f1']:>8.4f}  {s['flows_f1']:>8.4f}  {s['department']:>10.4f}  {s['program']:>7.4f}  {notes}")
    args.json.parent.mkdir(exist_ok=True)
    args.json.write_text(json.dumps(table, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
