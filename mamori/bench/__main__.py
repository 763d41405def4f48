"""`make bench`: a large city and the time of its main pages and of a full export.

    python -m mamori.bench --db sqlite|postgresql [--programs 5000] [--samples 40]

Builds a fresh database (var/bench.sqlite3, or the PostgreSQL database
``mamori_bench``), generates N programs with 3 versions each (about 30 item links
per program version: ~150,000 group-item links at 5,000 programs, plus flows),
then requests pages through Django's full stack (middleware, permission scoping,
templates) as the office user and as a department user, and reports the median and
p95 per page, and the time of `mamori export`. Results go to stdout and to
var/bench-<db>.json.
"""
import argparse
import os
import sys
from pathlib import Path

import django
import psycopg
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def configure(db: str, name: str = "mamori_bench") -> str:
    """A fresh database: var/<name>.sqlite3 or the PostgreSQL database <name> (a module benchmarked alone may name its own)."""
    if db == "sqlite":
        path = ROOT / "var" / f"{name.replace('mamori_', '')}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        server = base.rsplit("/", 1)[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        url = f"{server}/{name}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["MAMORI_LOG_LEVEL"] = "ERROR"
    os.environ["MAMORI_PAGE_CACHE"] = "false"  # the figures are the pages' own cost, not the page cache's (bench.load measures both)
    django.setup()
    call_command("migrate", verbosity=0)
    return url



def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--programs", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--notifications", type=int, default=200, help="届出 printed for the document benchmark")
    args = parser.parse_args()
    configure(args.db)
    # The suite imports the project's models: it can only be imported once Django is configured.
    from mamori.bench import suite

    return suite.run(args)


if __name__ == "__main__":
    sys.exit(main())
