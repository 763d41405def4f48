"""The bound council packet of the demo meeting (issue 15's target: the whole packet under 15 s).

    python -m mamori.bench.packet --db sqlite|postgresql [--runs 3] [--json FILE]

Builds a fresh database (var/bench_packet.sqlite3 or the PostgreSQL database ``mamori_bench_packet``), loads the
demo city (the seed's 令和6年度第1回: 次第, 資料1〜6 and the 別紙 after 資料5), then builds the packet as
`mamori report packet` does, in each format and with the charts annex, ``--runs`` times, and reports the median
and the slowest run and the PDF's page count. The suite (`make bench`) runs it in a child process, because the
suite's own database holds the benchmark city, not the demo.
"""

# The project's models are imported inside the functions: run alone, this module configures Django first.

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_S = 15.0
CASES = (("pdf", False), ("docx", False), ("zip", False), ("pdf", True))


def measure(runs: int) -> dict:
    import io

    from pypdf import PdfReader

    from mamori.council.reports import build_packet
    from mamori.demo.city import load

    load()
    out = {}
    for fmt, charts in CASES:
        times, data = [], b""
        for _ in range(runs):
            start = time.perf_counter()
            data = build_packet({"meeting": "令和6年度第1回", "format": fmt, "charts": charts})
            times.append(time.perf_counter() - start)
        name = f"packet {fmt}{' + charts' if charts else ''}"
        out[name] = {"median_s": round(statistics.median(times), 2), "max_s": round(max(times), 2), "bytes": len(data)}
        if fmt == "pdf":
            out[name]["pages"] = len(PdfReader(io.BytesIO(data)).pages)
    return out


def report(results: dict) -> None:
    print(f"{'bound packet (demo meeting)':<36} {'median s':>10} {'max s':>8} {'pages':>6}")
    for name, r in results.items():
        flag = "" if r["max_s"] < TARGET_S else f"  <-- over the {TARGET_S:.0f} s target"
        print(f"{name:<36} {r['median_s']:>10} {r['max_s']:>8} {r.get('pages', ''):>6}{flag}")


def bench_packet(db: str, runs: int = 3) -> dict:
    """From the suite: the benchmark in a child process, on its own database."""
    done = subprocess.run([sys.executable, "-m", "mamori.bench.packet", "--db", db, "--runs", str(runs), "--quiet"],
                          cwd=ROOT, env={**os.environ}, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--quiet", action="store_true", help="only the JSON on stdout (for the suite)")
    args = parser.parse_args()
    from mamori.bench.__main__ import configure

    configure(args.db, "mamori_bench_packet")
    results = measure(args.runs)
    if args.quiet:
        print(json.dumps(results))
    else:
        report(results)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0 if all(r["max_s"] < TARGET_S for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
