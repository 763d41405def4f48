#!/usr/bin/env python3
"""Write the hostile corpus of council packets to DIR (zip-bomb DOCX, deflate-bomb PDF stream, huge
page count, one 5 MB line, NUL bytes, truncated UTF-8/Shift_JIS/DOCX/PDF, deep XML, billion laughs,
many paragraphs, 20 MB files …). The generator is mamori.register.importers.hostile; the fuzz tests
and `python -m mamori.bench.ingest` use it too.

    PYTHONPATH=. .venv/bin/python scripts/make-hostile-corpus.py DIR [--scale full|small]
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from mamori.register.importers import hostile  # noqa: E402  (after the path is set)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the hostile ingest corpus.")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--scale", choices=["full", "small"], default="full")
    args = parser.parse_args()
    for name, path in hostile.build(args.dir, args.scale).items():
        expected = hostile.EXPECTED[name]
        expected = expected.get(args.scale) if isinstance(expected, dict) else expected
        size = path.stat().st_size if path.is_file() else 0
        print(f"{name:24} {size:>12,}  {'read' if expected is None else f'refused: {expected}'}")


if __name__ == "__main__":
    main()
