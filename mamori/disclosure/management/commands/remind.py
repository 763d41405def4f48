import datetime

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "請求の担当者ごとに、期限超過・期限が近い請求の一覧をメールで送ります（毎朝の実行を想定）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="何日以内の期限を知らせるか（既定 7）")
        parser.add_argument("--today", help="基準日 YYYY-MM-DD（既定は今日）")

    def handle(self, *args, days: int, today: str | None, **options):
        from mamori.disclosure.reminders import send_digests

        sent = send_digests(datetime.date.fromisoformat(today) if today else None, days)
        for username, count in sent.items():
            self.stdout.write(f"  {username}: {count}件")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)}人にメールを送りました。"))
