"""Leaks (漏えい等): whether the PPC must be told, and by when. Pure functions; facts come in.

個人情報保護法第68条第1項・同法施行規則第43条: report when any of these occurred or may have
occurred (漏えい・滅失・毀損). Data protected by strong encryption or an equivalent measure is
excluded throughout the article (the parenthesis of 第1号 defines it for all items), and data
recovered before anyone saw it was not leaked.
"""
import datetime
from dataclasses import dataclass, field

from mamori.core.calendar import ClosureCalendar, wareki

THRESHOLD_PERSONS = 100  # 規則第43条第4号: more than 100 本人 (1,000 for private businesses)
# 規則第43条第2号: data whose misuse may cause 財産的被害 — credentials to dispose of someone's assets.
# PPC Q&A: an address, phone number, e-mail or a bank account number alone does not qualify.
FINANCIAL_CREDENTIALS = ("クレジットカード", "カード番号", "セキュリティコード", "暗証番号", "パスワード", "インターネットバンキング", "ログインID")


@dataclass
class Facts:
    items: list[str] = field(default_factory=list)
    sensitive_items: list[str] = field(default_factory=list)  # those of ``items`` the vocabulary marks 要配慮
    ordinance_items: list[str] = field(default_factory=list)  # 条例要配慮, if the city defines any
    my_number: bool = False
    persons: int = 0
    malicious: bool = False  # 不正の目的 (intrusion, theft, skimming …)
    property_damage: bool = False  # the office's judgement for 第2号 beyond the listed credentials
    encrypted: bool = False  # strongly encrypted or equivalent
    recovered_unseen: bool = False  # recovered before anyone saw it


@dataclass
class Trigger:
    key: str
    article: str
    label: str
    applies: bool
    reason: str


@dataclass
class Assessment:
    triggers: list[Trigger]
    reportable: bool
    my_number_report: bool
    notes: list[str]

    def as_json(self) -> dict:
        return {"reportable": self.reportable, "my_number_report": self.my_number_report, "notes": self.notes,
                "triggers": [t.__dict__ for t in self.triggers]}


def assess(f: Facts) -> Assessment:
    notes = []
    if f.persons < 0:
        raise ValueError("本人の数は0以上で入力してください。")
    excluded = f.encrypted or f.recovered_unseen
    if f.encrypted:
        notes.append("高度な暗号化その他の措置が講じられているため、規則第43条各号の対象から除かれます（同条第1号括弧書き）。")
    if f.recovered_unseen:
        notes.append("第三者に閲覧される前に回収されたため、漏えいに当たりません。")
    credentials = [i for i in f.items if any(k in i for k in FINANCIAL_CREDENTIALS)]

    def t(key, article, label, condition, yes, no):
        return Trigger(key, article, label, bool(condition) and not excluded, (yes if condition else no) + ("（ただし暗号化等により対象外）" if condition and excluded else ""))

    triggers = [
        t("sensitive", "規則第43条第1号", "要配慮個人情報", f.sensitive_items,
          f"要配慮個人情報（{'、'.join(f.sensitive_items)}）を含みます。", "要配慮個人情報は含まれていません。"),
        t("property", "規則第43条第2号", "財産的被害のおそれ", credentials or f.property_damage,
          f"不正に利用されると財産的被害が生じるおそれがある情報（{'、'.join(credentials) or '担当の判断による'}）を含みます。",
          "財産的被害のおそれがある情報（クレジットカード番号と利用に必要な情報、ネットバンキングのID・パスワード等）は含まれていません。住所・電話番号・口座番号だけでは該当しません。"),
        t("malicious", "規則第43条第3号", "不正の目的", f.malicious, "不正の目的をもって行われたおそれがあります（不正アクセス・盗難等）。", "不正の目的によるものではありません。"),
        t("over100", "規則第43条第4号", "本人の数が100人超", f.persons > THRESHOLD_PERSONS,
          f"本人の数が{f.persons:,}人で、100人を超えます。", f"本人の数は{f.persons:,}人で、100人以下です。"),
        t("ordinance", "規則第43条第5号", "条例要配慮個人情報", f.ordinance_items,
          f"条例要配慮個人情報（{'、'.join(f.ordinance_items)}）を含みます。", "条例要配慮個人情報は含まれていません（条例に定めがない場合を含む）。"),
    ]
    reportable = any(x.applies for x in triggers)
    # 番号法第29条の4・特定個人情報の漏えい等に関する報告等に関する規則第2条: e.g. more than 100 persons, 不正の目的.
    my_number_report = f.my_number and not excluded and (f.persons > THRESHOLD_PERSONS or f.malicious)
    if f.my_number and not my_number_report:
        notes.append("特定個人情報を含みますが、番号法の報告対象の事態（100人超・不正の目的等）には当たりません。")
    return Assessment(triggers, reportable, my_number_report, notes)


@dataclass
class Clocks:
    sokuhou_from: datetime.date
    sokuhou_by: datetime.date
    kakuhou_by: datetime.date
    kakuhou_raw: datetime.date
    days: int
    steps: list[str]


def clocks(learned_on: datetime.date, malicious: bool, calendar: ClosureCalendar | None = None) -> Clocks:
    """速報: 速やかに, target 3–5 days from learning (規則第44条第1項; PPC guidelines). 確報: 30 days, 60 when
    第3号 applies (規則第44条第2項); the day of learning is day 1, a closure-day end moves to the next open day."""
    calendar = calendar or ClosureCalendar()
    days = 60 if malicious else 30
    raw = learned_on + datetime.timedelta(days=days - 1)
    due = calendar.next_open(raw)
    steps = [f"職員が知った日 {wareki(learned_on, weekday=True)}を1日目として数えます。",
             f"速報は速やかに（目安は3〜5日以内：{wareki(learned_on + datetime.timedelta(days=2), weekday=True)}〜"
             f"{wareki(learned_on + datetime.timedelta(days=4), weekday=True)}）。",
             f"確報は{days}日以内（規則第44条第2項{'、不正の目的のため60日' if malicious else ''}）：{days}日目は{wareki(raw, weekday=True)}です。"]
    if due != raw:
        steps.append(f"{wareki(raw, weekday=True)}は閉庁日（{calendar.reason(raw)}）のため、{wareki(due, weekday=True)}とします。")
    return Clocks(learned_on + datetime.timedelta(days=2), learned_on + datetime.timedelta(days=4), due, raw, days, steps)


def date_errors(occurred_on, learned_on, sokuhou_on, kakuhou_on) -> dict:
    errors = {}
    if occurred_on and learned_on and learned_on < occurred_on:
        errors["learned_on"] = f"知った日（{wareki(learned_on)}）が発生日（{wareki(occurred_on)}）より前です。"
    if sokuhou_on and learned_on and sokuhou_on < learned_on:
        errors["sokuhou_on"] = f"速報日（{wareki(sokuhou_on)}）が知った日（{wareki(learned_on)}）より前です。"
    if kakuhou_on and sokuhou_on and kakuhou_on < sokuhou_on:
        errors["kakuhou_on"] = f"確報日（{wareki(kakuhou_on)}）が速報日（{wareki(sokuhou_on)}）より前です。"
    return errors


# ---------------------------------------------------------------- what is still to be sent (the home page, the list's filters)

KAKUHOU_SOON_DAYS = 7  # a 確報 due within a week is shown as urgent, as one past its day


@dataclass
class Due:
    """One report still to be sent: ``stage`` 速報 or 確報, its day, and how it stands on ``today``."""
    stage: str
    by: datetime.date
    overdue: bool
    urgent: bool
    note: str


def _left(by: datetime.date, today: datetime.date) -> str:
    delta = (by - today).days
    return "本日まで" if delta == 0 else f"あと{delta:,}日" if delta > 0 else f"{-delta:,}日超過"


def sokuhou_due(c: Clocks, sent_on: datetime.date | None, today: datetime.date) -> Due | None:
    """速報 (規則第44条第1項: 速やかに): the target is 3–5 days from learning; past the 5th day it is late."""
    if sent_on is not None:
        return None
    overdue = today > c.sokuhou_by
    return Due("速報", c.sokuhou_by, overdue, overdue or today >= c.sokuhou_from,
               f"速報の目安 {wareki(c.sokuhou_by, weekday=True)}・{_left(c.sokuhou_by, today)}")


def kakuhou_due(c: Clocks, sent_on: datetime.date | None, today: datetime.date) -> Due | None:
    """確報 (規則第44条第2項): 30 days, 60 under 第43条第3号, the end moved past closure days."""
    if sent_on is not None:
        return None
    overdue = today > c.kakuhou_by
    return Due("確報", c.kakuhou_by, overdue, overdue or (c.kakuhou_by - today).days <= KAKUHOU_SOON_DAYS,
               f"確報の期限 {wareki(c.kakuhou_by, weekday=True)}・{_left(c.kakuhou_by, today)}")
