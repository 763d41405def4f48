import datetime

from django.core.management.base import BaseCommand

from mamori.core.digest import send_digests


class Command(BaseCommand):
    help = "担当者ごとに、期限超過・期限が近い請求や漏えい等の報告期限などをメールで知らせます（毎朝の実行を想定）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="何日以内の期限を知らせるか（既定 7）")
        parser.add_argument("--today", help="基準日 YYYY-MM-DD（既定は今日）")

    def handle(self, *args, days: int, today: str | None, **options):
        sent = send_digests(datetime.date.fromisoformat(today) if today else None, days)
        for username, count in sent.items():
            self.stdout.write(f"  {username}: {count}件")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)}人にメールを送りました。"))
