"""The public ファイル簿 site at a large city (issue 13's targets):

* `mamori publish` of 5,000 files: under 30 s;
* the search in the browser over the 5,000-entry index: an answer in under 100 ms (Chromium, performance.now()).

Each of the 5,000 files has its 「開示を請求する」 page and a pre-filled 保有個人情報開示請求書 as PDF and DOCX. A
form is made once and reused by later publications while its file, office and fees stay the same (the manifest
of the output folder), so the benchmark reports the first publication (all 10,000 forms made: the target), the
next one (the daily case: the forms reused) and the site without its forms. The load average is printed: the PDFs
are drawn on every processor, so other work on the machine slows the first publication most. Run by `make bench` (from the suite, on SQLite and
PostgreSQL) or alone:

    python -m mamori.bench.publish --db sqlite|postgresql [--files 5000]
"""

# The project's models are imported inside the functions, not at the top: run alone (`python -m …`), this
# module configures Django (bench.__main__.configure builds a fresh database) before any model may be imported.

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_PUBLISH_S, TARGET_SEARCH_MS = 30.0, 100.0
QUERIES = ("給付", "事業1", "住所", "申請 氏名", "第3部", "項目0012", "存在しない語", "")


def generate_files(office, limit: int) -> int:
    """Bulk rows: a file for each of the first ``limit`` programs, its 作成 published with the entry the filebook
    computes (filebook.entry, the real code) — the benchmark's register, not a path users take."""
    from django.utils import timezone

    from mamori.filebook import entry
    from mamori.filebook.models import FileProgram, FileRevision, PersonalFile, RevisionKind, RevisionStatus
    from mamori.register.models import Program

    now = timezone.now()
    programs = list(Program.objects.filter(current__isnull=False).order_by("pk")[:limit])
    files = PersonalFile.objects.bulk_create([PersonalFile(code=f"F{n:05d}", created_at=now, assessment="listed", decision="listed",
                                                           decided_at=now) for n in range(1, len(programs) + 1)], batch_size=2000)
    FileProgram.objects.bulk_create([FileProgram(file=f, program=p) for f, p in zip(files, programs)], batch_size=2000)
    computed = entry.for_files(files)  # read CHUNK files at a time
    FileRevision.objects.bulk_create([
        FileRevision(file=f, kind=RevisionKind.CREATE, status=RevisionStatus.PUBLISHED, cause="ベンチマーク", drafted_at=now, due_on=now.date(),
                     number=1, published_at=now, published_by=office, content=computed[f.pk].content, changes=["個人情報ファイル簿に掲載しました。"])
        for f in files], batch_size=1000)
    return len(files)


def timed_publish(output: Path) -> tuple[float, object]:
    from mamori.public import publish, site

    start = time.perf_counter()
    result = publish.publish(site.load(), output)
    return time.perf_counter() - start, result


def site_without_forms_s() -> float:
    """Every page, data file and script of the site, the forms left out (what the forms cost is the rest)."""
    from mamori.public import site

    start = time.perf_counter()
    s = site.Site(site.load())
    for path in s.paths():
        if not path.endswith((".pdf", ".docx")):
            s.render(path)
    return time.perf_counter() - start


def search_times(index_html: Path, rounds: int = 5) -> dict:
    """The search in Chromium over the published index: the answer alone (window.mamoriSearch) and the page's
    whole update as a person types (results and facet counts redrawn), each timed with performance.now()."""
    from playwright.sync_api import sync_playwright

    from mamori.tests.conftest import ARGS, CHROMIUM

    answers, updates, counts = [], [], {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="ja-JP")
        page.goto(index_html.as_uri())
        page.wait_for_function("() => window.mamoriSearch && document.getElementById('results').dataset.ms")
        entries = page.evaluate("() => window.MAMORI_FILEBOOK.entries.length")
        for _ in range(rounds):
            for q in QUERIES:
                r = page.evaluate("(q) => window.mamoriSearch({q: q})", q)
                answers.append(r["ms"])
                counts[q] = r["count"]
                page.fill("#q", q + " ")  # a change, so the page redraws
                page.fill("#q", q)
                updates.append(page.evaluate("() => window.mamoriSearchMs"))
            r = page.evaluate("() => window.mamoriSearch({q: '事業', organ: ['市長'], sensitive: ['0'], kind: ['computerized']})")
            answers.append(r["ms"])
        browser.close()
    def p95(xs):
        return round(sorted(xs)[max(0, int(len(xs) * 0.95) - 1)], 1)

    return {"entries in the index": entries, "search answer median (ms)": round(statistics.median(answers), 1), "search answer p95 (ms)": p95(answers),
            "search answer max (ms)": round(max(answers), 1), "page update median (ms)": round(statistics.median(updates), 1),
            "page update p95 (ms)": p95(updates), "page update max (ms)": round(max(updates), 1), "matches": counts}


def bench_publish(office, n_files: int = 5000) -> dict:
    made = generate_files(office, n_files)
    out: dict = {"files": made, "load average (1, 5, 15 min)": [round(x, 2) for x in os.getloadavg()]}
    out["site without the forms (s)"] = round(site_without_forms_s(), 1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        first, result = timed_publish(folder)
        out["first publication, every form typeset (s)"] = round(first, 1)
        again, result = timed_publish(folder)
        out["next publication, forms reused (s)"] = round(again, 1)
        out["files written"] = result.files
        out["forms reused"] = result.reused
        out["site size (MB)"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1)
        out.update(search_times(folder / "index.html"))
    out["load average after (1, 5, 15 min)"] = [round(x, 2) for x in os.getloadavg()]
    return out


def report(r: dict) -> None:
    print(f"\n== public site: {r['files']} files (load average before {r['load average (1, 5, 15 min)']}, after {r['load average after (1, 5, 15 min)']})")
    for name, value in r.items():
        if name in ("files", "matches") or name.startswith("load average"):
            continue
        flag = ""
        if name.startswith(("first publication", "next publication")) and value >= TARGET_PUBLISH_S:
            flag = f"  <-- over the {TARGET_PUBLISH_S:.0f} s target"
        if name.startswith(("search answer p95", "page update p95")) and value >= TARGET_SEARCH_MS:
            flag = f"  <-- over the {TARGET_SEARCH_MS:.0f} ms target"
        print(f"{name:<46} {value:>10}{flag}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--programs", type=int, default=5000)
    parser.add_argument("--files", type=int, default=5000)
    args = parser.parse_args()
    from mamori.bench.__main__ import configure

    configure(args.db)
    from mamori.bench.suite import generate

    city = generate(max(args.programs, args.files), versions=1)
    r = bench_publish(city["office"], args.files)
    report(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
