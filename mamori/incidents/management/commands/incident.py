import datetime
import json
from pathlib import Path

from django.core.management.base import CommandError

from mamori.core import inputfiles
from mamori.core.commands import JapaneseArgumentsCommand
from mamori.incidents import rules
from mamori.register.vocabulary import Vocabulary

FLAGS = ("malicious", "property_damage", "encrypted", "recovered_unseen")
MAX_PERSONS = 10**9  # more 本人 than people on earth is a typing mistake, and beyond it databases overflow
MAX_NAME = 200


def _day(data: dict, key: str, label: str, required: bool) -> datetime.date | None:
    value = data.get(key)
    if value is None and not required:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{key}（{label}）を文字列 YYYY-MM-DD で指定してください（例 \"2024-06-03\"）。") from None
    if not 1900 <= day.year <= 2999:
        raise CommandError(f"{key}（{label}）は1900年から2999年までの日付で指定してください。")
    return day


def _facts_input(data) -> tuple:
    """learned_on, occurred_on, groups and items of the facts file; CommandError saying what to fix."""
    if not isinstance(data, dict):
        raise CommandError("事実のファイルは JSON のオブジェクト（{ \"learned_on\": …, \"groups\": […] …}）で書いてください。")
    learned = _day(data, "learned_on", "職員が知った日", required=True)
    occurred = _day(data, "occurred_on", "発生日", required=False)
    groups, items = data.get("groups") or [], data.get("items") or []
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        raise CommandError("groups は本人の区分のリストで、各区分は {\"name\": \"児童\", \"count\": 120} の形で書いてください。")
    for g in groups:
        count = g.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_PERSONS:
            raise CommandError(f"groups の count（人数）は0以上{MAX_PERSONS:,}以下の整数で指定してください（指定されたのは {str(count)[:30]}）。")
        if not isinstance(g.get("name", ""), str) or len(g.get("name", "")) > MAX_NAME:
            raise CommandError(f"groups の name（区分の名前）は{MAX_NAME}文字までの文字列で指定してください。")
    if not isinstance(items, list) or not all(isinstance(i, str) and 0 < len(i) <= MAX_NAME for i in items):
        raise CommandError(f"items は記録項目名（{MAX_NAME}文字までの文字列）のリストで指定してください（例 [\"氏名\", \"住所\"]）。")
    for flag in FLAGS:
        if flag in data and not isinstance(data[flag], bool):
            raise CommandError(f"{flag} は true か false で指定してください（\"yes\" などの文字列は使えません）。")
    return learned, occurred, groups, items


class Command(JapaneseArgumentsCommand):
    help = "漏えい等の事実（JSON）から、規則第43条の報告事由・速報と確報の期限・その理由を示します。形式は docs/data-format.md。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        assess = sub.add_parser("assess", help="事実のJSONを評価する")
        assess.add_argument("file", type=Path)
        assess.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, action, file: Path, format: str, **options):
        try:
            data = inputfiles.read_json(file)
        except inputfiles.InputError as exc:
            raise CommandError(f"{exc}（docs/data-format.md の「漏えい等の事実」の形式）") from None
        learned, occurred, groups, items = _facts_input(data)
        errors = rules.date_errors(occurred, learned, None, None)
        if errors:
            raise CommandError(" ".join(errors.values()))
        vocab = Vocabulary()
        facts = rules.Facts(items=items, sensitive_items=[i for i in items if vocab.find(i) and vocab.find(i).is_sensitive],
                            my_number=any(vocab.find(i) and vocab.find(i).is_my_number for i in items), persons=sum(g["count"] for g in groups),
                            malicious=bool(data.get("malicious")), property_damage=bool(data.get("property_damage")),
                            encrypted=bool(data.get("encrypted")), recovered_unseen=bool(data.get("recovered_unseen")))
        a = rules.assess(facts)
        try:
            c = rules.clocks(learned, any(t.key == "malicious" and t.applies for t in a.triggers))
        except OverflowError:
            raise CommandError("確報の期限が計算できる範囲を超えます。learned_on（職員が知った日）を確かめてください。") from None
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
