"""The `mamori` command: Django's management commands, with hyphenated names.

`mamori load-demo` runs the `load_demo` command; `mamori migrate` and
`mamori runserver` are Django's own.
"""
import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "mamori"

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
