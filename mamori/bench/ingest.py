"""`make bench`: `mamori ingest` over the hostile corpus, with the default limits.

    python -m mamori.bench.ingest [--dir var/hostile-corpus] [--scale full|small] [--json var/bench-ingest.json]

Builds the corpus (register.importers.hostile, the same generator as scripts/make-hostile-corpus.py)
and a fresh SQLite database (var/bench-ingest.sqlite3), then runs each file through `mamori ingest`
in its own child process and reports per file: the outcome (accepted, or refused and by which
limit), the peak memory of that process and of its reader (ru_maxrss from wait4, which covers the
reader it waited for; and the reader's own VmHWM), and the wall time. It checks the bound of issue
11: every input of at most 20 MB under 500 MB and 30 s (the command's work; "total s" adds the start of Django). Exit status
1 if a file breaks it or ends in a traceback.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mamori.register.importers import hostile

ROOT = Path(__file__).resolve().parents[2]
MEMORY_BOUND_MB, SECONDS_BOUND = 500, 30
KILL_MARGIN = 1  # the reader is killed at the limit; its answer and the writes follow


def run_one(path: Path, env: dict) -> dict:
    """`mamori ingest FILE` in a child; its rusage (wait4) covers the reader it ran and waited for."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "mamori.bench.ingest", "--one", str(path)], env=env, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=err)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)  # not Popen.wait: it would reap the child and drop its rusage
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    seconds = time.monotonic() - started
    try:
        row = json.loads(out.splitlines()[-1])
    except (ValueError, IndexError):
        row = {"outcome": "traceback", "message": stderr[-500:], "reader_peak_mb": None, "ingest_seconds": seconds}
    return row | {"seconds": round(seconds, 2), "process_peak_mb": round(usage.ru_maxrss / 1024)}


def one(path: Path) -> None:
    """In the child: run the command, print one JSON line."""
    import django

    django.setup()
    from django.core.management import CommandError, call_command

    from mamori.register.importers import sandbox

    row = {"file": path.name}
    started = time.monotonic()
    try:
        call_command("ingest", str(path), stdout=open(os.devnull, "w"))
        row |= {"outcome": "accepted", "message": ""}
    except CommandError as exc:
        limit = re.search(r"MAMORI_INGEST_LIMITS\['(\w+)'\]", str(exc))
        expected = hostile.EXPECTED.get(path.name)
        words = [w for w in (expected if isinstance(expected, tuple) else (expected,)) if isinstance(w, str) and w in str(exc)]
        reason = limit.group(1) if limit else words[0] if words else "other"
        row |= {"outcome": f"refused: {reason}", "message": str(exc)}
    row["ingest_seconds"] = round(time.monotonic() - started, 2)  # the command's work, after Django has started
    row["reader_peak_mb"] = round(sandbox.LAST["peak_mb"]) if sandbox.LAST["peak_mb"] else None
    print(json.dumps(row, ensure_ascii=False))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "hostile-corpus")
    parser.add_argument("--scale", choices=["full", "small"], default="full")
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench-ingest.json")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.one:
        one(args.one)
        return 0
    db = ROOT / "var" / "bench-ingest.sqlite3"
    db.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-m", "mamori.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    started = time.monotonic()
    files = hostile.build(args.dir, args.scale)
    print(f"corpus ({args.scale}) in {args.dir}: {len(files)} files, built in {time.monotonic() - started:.0f} s")
    rows, broken = [], 0
    print(f"{'file':24} {'size':>9} {'outcome':28} {'reader MB':>9} {'process MB':>10} {'ingest s':>8} {'total s':>7}  bound")
    for name, path in files.items():
        row = run_one(path, env) | {"file": name, "size": path.stat().st_size if path.is_file() else 0}
        small = row["size"] <= 20 * 1024 * 1024
        ok = row["outcome"] != "traceback" and (not small or (row["process_peak_mb"] < MEMORY_BOUND_MB
                                                              and row["ingest_seconds"] < SECONDS_BOUND + KILL_MARGIN))
        row["within_bound"] = ok
        broken += not ok
        rows.append(row)
        print(f"{name:24} {row['size'] / 1024 / 1024:8.1f}M {row['outcome']:28} {row['reader_peak_mb'] or '—':>9} "
              f"{row['process_peak_mb']:>10} {row['ingest_seconds']:>8} {row['seconds']:>7}  {'ok' if ok else 'BROKEN'}")
    args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(rows)} files, {broken} beyond {MEMORY_BOUND_MB} MB / {SECONDS_BOUND} s (+{KILL_MARGIN} s) or with a traceback; "
          f"results in {args.json}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
