from pathlib import Path

from django.core.management.base import BaseCommand

from mamori.core import transfer


class Command(BaseCommand):
    help = "管理簿全体（組織・語彙・事務事業の全版・届出・利用者（パスワードを除く））を DIR に JSON で書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        counts = transfer.export(directory)
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{directory} に書き出しました。"))
