"""Redaction (issue 16's targets):

* redact and check a 100-page text PDF with 300 boxes: under 20 s;
* suggestions over the 100 pages: under 5 s.

Wall-clock seconds are the targets; CPU seconds are printed beside them, because the machine the benchmark
runs on may be shared (the load average is printed too). The PDF is typeset here (reportlab, Noto Sans JP): 40 lines a page of Japanese with names, addresses, phone
numbers and ASCII; the boxes are 3 words on every page, the way a handler marks a document. Needs no database.
Run by `make bench` (from the suite) or alone:

    python -m mamori.bench.redaction [--pages 100] [--boxes 300]
"""
import argparse
import io
import os
import sys
import time

from reportlab.pdfgen import canvas

from mamori.core.redaction import Box, page_words, redact, suggest, verify, writing

TARGET_REDACT_S, TARGET_SUGGEST_S = 20.0, 5.0
LINE = ("{n}. 申請者 山田{n}郎 様（朝霞市本町{a}丁目{b}番{c}号、電話 048-{p:03d}-{q:04d}）から request no.{n} を受け付けた。",
        "担当者 佐藤花子 に回付し、内容を確認のうえ回答する。 mail: staff{n}@example.jp",
        "本文の行は事務の経過を記したもので、公開して差し支えない部分である。 Lorem ipsum dolor sit amet.")


def document(pages: int) -> bytes:
    font = writing.stamp_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    for page in range(pages):
        for line in range(40):
            n = page * 40 + line
            c.setFont(font, 9.5)
            c.drawString(50, 800 - line * 19, LINE[line % 3].format(n=n, a=n % 9 + 1, b=n % 30 + 1, c=n % 20 + 1, p=n % 1000, q=n % 10000))
        c.showPage()
    c.save()
    return buf.getvalue()


def boxes_for(pdf: bytes, pages: int, count: int) -> list[Box]:
    per_page = max(1, count // pages)
    out = []
    for page in range(1, pages + 1):
        words = [w for w in page_words(pdf, page) if len(w.text) >= 4]
        step = max(1, len(words) // per_page)
        for w in words[::step][:per_page]:
            out.append(Box(page, w.x0 - 1, w.top - 1, w.x1 + 1, w.bottom + 1, "条例第7条第2号"))
    return out[:count]


def bench_redaction(pages: int = 100, n_boxes: int = 300) -> dict:
    pdf = document(pages)
    boxes = boxes_for(pdf, pages, n_boxes)
    start, cpu = time.perf_counter(), time.process_time()
    out = redact(pdf, boxes)  # applies, then checks (verify) before returning
    redact_s, redact_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    failures = verify(out, pdf, boxes)
    verify_s, verify_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    found = suggest(pdf, terms=["佐藤花子"])
    suggest_s, suggest_cpu = time.perf_counter() - start, time.process_time() - cpu
    kinds: dict[str, int] = {}
    for s in found:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    return {"pages": pages, "boxes": len(boxes), "input MB": round(len(pdf) / 2**20, 1), "output MB": round(len(out) / 2**20, 1),
            f"redact + check, {pages} pages / {len(boxes)} boxes (s)": round(redact_s, 2), "redact + check, CPU (s)": round(redact_cpu, 2),
            "check alone (s)": round(verify_s, 2), "check alone, CPU (s)": round(verify_cpu, 2), "check failures": len(failures),
            f"suggestions over {pages} pages (s)": round(suggest_s, 2), "suggestions, CPU (s)": round(suggest_cpu, 2),
            "suggestions": len(found), "suggestions by kind": kinds,
            "load average (1, 5, 15 min)": tuple(round(v, 1) for v in os.getloadavg())}


def report(r: dict) -> None:
    print(f"\n== redaction: {r['pages']} pages, {r['boxes']} boxes")
    for name, value in r.items():
        if name in ("pages", "boxes"):
            continue
        flag = ""
        if name.startswith("redact + check") and value >= TARGET_REDACT_S:
            flag = f"  <-- over the {TARGET_REDACT_S:.0f} s target"
        if name.startswith("suggestions over") and value >= TARGET_SUGGEST_S:
            flag = f"  <-- over the {TARGET_SUGGEST_S:.0f} s target"
        print(f"{name:<46} {value}{flag}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--boxes", type=int, default=300)
    args = parser.parse_args()
    r = bench_redaction(args.pages, args.boxes)
    report(r)
    return 0 if r["check failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
