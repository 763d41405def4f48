"""mamori impact --contractor 法人番号|名称 [--on DATE] [--format json|text]; the same for --item, --program,
--recipient and --partner. Reads the whole register (the operator of the server)."""
import datetime
import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from mamori.core.calendar import DateInputError, parse_date_input, wareki
from mamori.impact import selectors
from mamori.impact.reports import answer as documents


class Command(BaseCommand):
    help = "委託事業者・記録項目・事務事業・外部提供先・オンライン結合の相手先から、影響する事務事業を調べます。"

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        for kind, label in selectors.KINDS.items():
            group.add_argument(f"--{kind}", help=label)
        parser.add_argument("--on", help="基準日（令和6年7月1日・R6.7.1・2024-07-01。省略時は今日）")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        kind = next(k for k in selectors.KINDS if options.get(k))
        try:
            on = parse_date_input(options["on"]) if options.get("on") else None
        except DateInputError as exc:
            raise CommandError(str(exc)) from None
        on = on or datetime.date.today()
        try:
            answer = selectors.ask(None, kind, options[kind], on)
        except selectors.NotFound as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            data = asdict(answer)
            data.update(total_persons=answer.total_persons, unknown_counts=answer.unknown_counts)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        self.stdout.write(documents.title(answer))
        for line in documents.summary(answer):
            self.stdout.write(f"  {line}")
        for row in answer.rows:
            count = f"{row.person_count:,}人" if row.person_count is not None else "人数不明"
            flags = "・".join(f for f, on_ in (("要配慮", row.sensitive), ("個人番号", row.my_number)) if on_)
            self.stdout.write(f"- {row.code} {row.name}（{row.unit}）{count}{'・' + flags if flags else ''}")
            self.stdout.write(f"    経路：{row.path_label}")
            self.stdout.write(f"    項目：{'、'.join(row.items)}")
            for c in row.contracts:
                self.stdout.write(f"    契約：{c.title}（{c.contractor}、{wareki(c.ends_on)}まで）")
