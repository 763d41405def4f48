import datetime
import json
import re

from django.core.management.base import CommandError
from django.db import transaction

from mamori.core.calendar import seireki
from mamori.core.commands import JapaneseArgumentsCommand
from mamori.disclosure import clock, rules
from mamori.disclosure.rules import PROCEDURE_LABELS

# Dates far from the present are typing mistakes, and near year 9999 the arithmetic would overflow.
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


def _date(value: str) -> datetime.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(f"日付「{value}」は YYYY-MM-DD で指定してください。") from None
    if not EARLIEST <= day <= LATEST:
        raise CommandError(f"日付「{value}」は {EARLIEST.year}年から{LATEST.year}年までで指定してください。")
    return day


class Command(JapaneseArgumentsCommand):
    help = "請求の決定期限を計算し、その理由（起算・補正・延長・閉庁日）を示します。"

    def add_arguments(self, parser):
        parser.add_argument("--procedure", required=True, choices=list(PROCEDURE_LABELS))
        parser.add_argument("--received", required=True, help="受付日 YYYY-MM-DD")
        parser.add_argument("--correction-from", help="補正を求めた日")
        parser.add_argument("--correction-to", help="補正された日（省略すると補正中＝期限停止）")
        parser.add_argument("--extension-days", type=int, help="延長する日数（30日まで）")
        parser.add_argument("--extension-notified", help="延長を通知した日（省略時は受付日）")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **o):
        with transaction.atomic():  # reading the settings may create their row: nothing stays written when refused
            self._handle(o)

    def _handle(self, o):
        received = _date(o["received"])
        corrections = []
        if o["correction_from"]:
            corrections.append(rules.Correction(_date(o["correction_from"]), _date(o["correction_to"]) if o["correction_to"] else None))
        elif o["correction_to"]:
            raise CommandError("--correction-to は --correction-from と一緒に指定してください。")
        extension = None
        if o["extension_days"] is not None and not 1 <= o["extension_days"] <= 366:
            raise CommandError(f"--extension-days（延長する日数）は1以上の整数で指定してください（延長は30日まで。指定されたのは {o['extension_days']}）。")
        if o["extension_days"] is not None:
            extension = rules.Extension(_date(o["extension_notified"]) if o["extension_notified"] else received, o["extension_days"])
        try:
            rule = rules.rule_for(o["procedure"], clock.settings_for_rules())
            due = rules.compute_due(rule, received, corrections=corrections, extension=extension, calendar=clock.calendar())
        except rules.RuleError as exc:
            raise CommandError(str(exc)) from exc
        except OverflowError:
            raise CommandError("期限が計算できる範囲（西暦2999年まで）を超えます。日付と日数を確かめてください。") from None
        if o["format"] == "json":
            self.stdout.write(json.dumps({"procedure": o["procedure"], "received": received.isoformat(), **due.as_json()}, ensure_ascii=False, indent=1))
            return
        if due.due:
            self.stdout.write(f"決定期限: {rules.day_label(due.due)}（{seireki(due.due, weekday=False)}）")
        else:
            self.stdout.write("決定期限: 補正中のため停止しています")
        for step in due.steps:
            self.stdout.write(f"  {step}")
