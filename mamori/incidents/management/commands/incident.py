import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mamori.incidents import rules
from mamori.register.vocabulary import Vocabulary


class Command(BaseCommand):
    help = "漏えい等の事実（JSON）から、規則第43条の報告事由・速報と確報の期限・その理由を示します。形式は docs/data-format.md。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        assess = sub.add_parser("assess", help="事実のJSONを評価する")
        assess.add_argument("file", type=Path)
        assess.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, action, file: Path, format: str, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"ファイル「{file}」が見つかりません。") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"「{file.name}」はJSONとして読めません（{exc.lineno}行{exc.colno}文字目）。") from exc
        try:
            learned = datetime.date.fromisoformat(data["learned_on"])
            occurred = datetime.date.fromisoformat(data["occurred_on"]) if data.get("occurred_on") else None
        except (KeyError, ValueError):
            raise CommandError("learned_on（職員が知った日）を YYYY-MM-DD で指定してください。") from None
        errors = rules.date_errors(occurred, learned, None, None)
        groups = data.get("groups") or []
        if any(not isinstance(g.get("count"), int) or g["count"] < 0 for g in groups):
            errors["groups"] = "groups の count（人数）は0以上の整数で指定してください。"
        if errors:
            raise CommandError(" ".join(errors.values()))
        vocab = Vocabulary()
        items = data.get("items") or []
        facts = rules.Facts(items=items, sensitive_items=[i for i in items if vocab.find(i) and vocab.find(i).is_sensitive],
                            my_number=any(vocab.find(i) and vocab.find(i).is_my_number for i in items), persons=sum(g["count"] for g in groups),
                            malicious=bool(data.get("malicious")), property_damage=bool(data.get("property_damage")),
                            encrypted=bool(data.get("encrypted")), recovered_unseen=bool(data.get("recovered_unseen")))
        a = rules.assess(facts)
        c = rules.clocks(learned, any(t.key == "malicious" and t.applies for t in a.triggers))
        out = a.as_json() | {"persons": facts.persons, "sokuhou_target": [c.sokuhou_from.isoformat(), c.sokuhou_by.isoformat()],
                             "kakuhou_due": c.kakuhou_by.isoformat(), "clock_explanation": c.steps}
        if format == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"個人情報保護委員会への報告：{'必要' if a.reportable else '不要'}（本人の数 {facts.persons:,}人）")
        for t in a.triggers:
            self.stdout.write(f"  {'●' if t.applies else '－'} {t.article} {t.label}：{t.reason}")
        for note in a.notes:
            self.stdout.write(f"  ※{note}")
        if a.my_number_report:
            self.stdout.write("  ※番号法第29条の4による報告も必要です。")
        for step in c.steps:
            self.stdout.write(f"  {step}")
