from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mamori.core import backup


class Command(BaseCommand):
    help = (
        "mamori backup のファイルを、空のデータベース（mamori migrate 済み）に復元します。"
        "SQLite のバックアップを PostgreSQL に復元することもできます。全体を1つのトランザクションで行い、失敗したら何も書き込みません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="mamori backup で作ったファイル")

    def handle(self, *args, file: Path, **options):
        try:
            result = backup.restore(file)
        except backup.BackupError as exc:
            raise CommandError(f"{exc}（何も書き込んでいません）") from exc
        rows = sum(result.tables.values())
        self.stdout.write(self.style.SUCCESS(f"{file} を復元しました（{len(result.tables)}表・{rows:,}行・ファイル{result.files}件）。"))
        self.stdout.write("利用者は以前のパスワードでログインできます（ログイン中だった人は、ログインし直しです）。")
