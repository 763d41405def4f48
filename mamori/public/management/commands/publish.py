"""`mamori publish --output DIR`: the public 個人情報ファイル簿 site as static files, to copy one way to the
internet web server (docs/operations.md)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mamori.public import publish, site


class Command(BaseCommand):
    help = "公表済みの個人情報ファイル簿から公開サイト（静的なファイル）を作り、出力先のフォルダに置きます。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="出力先のフォルダ（空か、前に公開サイトを出力したフォルダ）")
        parser.add_argument("--zip", help="あわせてZIPにまとめるファイル名（インターネット系へ運ぶとき）")

    def handle(self, *args, **options):
        output = Path(options["output"])
        try:
            result = publish.publish(site.load(), output)
        except publish.PublishError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"公開サイトを作成しました：{result.path}（掲載中{result.entries:,}件、消除{result.deleted:,}件、"
                          f"{result.files:,}ファイル、再利用した請求書{result.reused:,}件）")
        self.stdout.write(f"トップページ：{(result.path / 'index.html').as_uri()}")
        if options.get("zip"):
            Path(options["zip"]).write_bytes(publish.zip_folder(result.path))
            self.stdout.write(f"ZIP：{Path(options['zip']).resolve()}")
