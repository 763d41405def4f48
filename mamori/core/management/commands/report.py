from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mamori.core.reports import REPORTS


class Command(BaseCommand):
    help = "公式の文書（審議会資料など）を DOCX・PDF などで出力します。例: mamori report notifications --meeting 令和6年度第1回 --kind new --format pdf --output 資料1.pdf"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="document", required=True, title="文書")
        for spec in REPORTS.values():
            sub = subparsers.add_parser(spec.name, help=spec.help)
            spec.add_arguments(sub)
            sub.add_argument("--format", choices=spec.formats, required=True)
            sub.add_argument("--output", type=Path, required=True, help="書き出すファイル")

    def handle(self, *args, document, output: Path, **options):
        try:
            data = REPORTS[document].build(options)
        except LookupError as exc:
            raise CommandError(str(exc.args[0] if exc.args else exc)) from exc
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{output} を書き出しました（{len(data):,} バイト）。"))
