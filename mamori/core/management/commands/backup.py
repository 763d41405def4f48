from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mamori.core import backup


class Command(BaseCommand):
    help = (
        "データベースのすべての表（監査ログ、パスワードのハッシュを含む利用者など）と保存ファイルの、"
        "一貫したバックアップを1つのファイルに書き出します。稼働中でも取れます（SQLite・PostgreSQL）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="書き出すファイル（.zip）")
        parser.add_argument("--directory", type=Path, help="日時つきの名前（mamori-YYYYMMDD-HHMMSS.zip）でこのフォルダーに書き出します")
        parser.add_argument("--keep-daily", type=int, default=0, help="--directory と併せて: 最近N日分を日ごとに1つ残し、古いものを消します")
        parser.add_argument("--keep-monthly", type=int, default=0, help="--directory と併せて: 最近Nか月分を月ごとに1つ残します")

    def handle(self, *args, file: Path | None, directory: Path | None, keep_daily: int, keep_monthly: int, **options):
        if (file is None) == (directory is None):
            raise CommandError("書き出すファイルか --directory のどちらか一方を指定してください。例: mamori backup var/backup.zip")
        target = file or backup.dated_name(directory)
        try:
            result = backup.backup(target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.tables.values())
        self.stdout.write(self.style.SUCCESS(f"{result.path} に書き出しました（{len(result.tables)}表・{rows:,}行・ファイル{result.files}件）。"))
        if directory is not None and (keep_daily or keep_monthly):
            removed = backup.prune(directory, keep_daily, keep_monthly)
            if removed:
                self.stdout.write(f"古いバックアップを {len(removed)} 件消しました。")
