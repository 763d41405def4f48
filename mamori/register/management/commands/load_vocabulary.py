import json
from pathlib import Path

from django.core.management.base import BaseCommand

from mamori.register.services import vocabulary_load

VOCABULARY = Path(__file__).resolve().parents[2] / "data" / "vocabulary.json"


class Command(BaseCommand):
    help = "標準の記録項目語彙（分類・要配慮・同義語）を読み込みます。既にある項目名はそのまま残します。"

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=VOCABULARY)

    def handle(self, *args, file: Path, **options):
        created = vocabulary_load(data=json.loads(file.read_text(encoding="utf-8")))
        self.stdout.write(self.style.SUCCESS(f"記録項目を {created} 件追加しました。"))
