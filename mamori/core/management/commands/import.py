from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mamori.core import transfer


class Command(BaseCommand):
    help = "mamori export で書き出した DIR を空のデータベースに取り込みます。誤りがあれば何も書き込まず、ファイル・レコード・項目ごとに示します。"

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            counts = transfer.import_(directory)
        except transfer.ImportFailed as exc:
            lines = [f"取込みを中止しました（データベースは変更していません）。{len(exc.problems)}件の誤りがあります:"]
            lines += [f"  - {p}" for p in exc.problems[:200]]
            if len(exc.problems) > 200:
                lines.append(f"  …ほか {len(exc.problems) - 200} 件")
            raise CommandError("\n".join(lines)) from exc
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{directory} を取り込みました。利用者のパスワードは mamori changepassword で設定してください。"))
