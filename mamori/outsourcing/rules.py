"""Outsourcing supervision: the special provisions (個人情報の取扱いに関する特記事項) and the
report's arithmetic as data and pure functions. 法第66条第2項: the city must supervise those it
entrusts with personal information."""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from mamori.core.calendar import wareki

# ---------------------------------------------------------------- 法人番号
# 法人番号の指定等に関する省令第2条: 13 digits; the first is a check digit over the other 12:
# 9 − (Σ Pn × Qn mod 9), Pn the n-th digit counted from the lowest, Qn = 1 (n odd) or 2 (n even).


def corporate_number_error(number: str) -> str | None:
    """None if valid, else what is wrong, in Japanese."""
    text = (number or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("-", "")
    if not text.isdigit() or len(text) != 13:
        return "法人番号は13桁の数字で入力してください。"
    base = text[1:]
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    expected = 9 - total % 9
    if int(text[0]) != expected:
        return f"法人番号の検査用数字（先頭の1桁）が合いません（{text[0]} ではなく {expected} のはずです）。番号を確かめてください。"
    return None


def normalize_corporate_number(number: str) -> str:
    return (number or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("-", "")


# ---------------------------------------------------------------- contracts and the chain (特記事項第10条)

KINDS = {
    "outsourcing": "委託",
    "sub": "再委託",
    "subsub": "再々委託",
    "designated": "指定管理",
    "lease": "賃貸借",
}
# A sub-contract hangs under the layer above it, needs the city's prior written approval (第10条第1項), and
# belongs to the same program.
PARENT_KINDS = {"sub": {"outsourcing", "designated"}, "subsub": {"sub"}}


def period_error(starts_on, ends_on) -> str | None:
    """A contract's period (契約期間) ends on or after the day it starts."""
    if starts_on and ends_on and ends_on < starts_on:
        return f"契約期間の終了（{wareki(ends_on)}）が開始（{wareki(starts_on)}）より前です。終了日を確かめてください。"
    return None


def chain_errors(kind: str, parent_kind: str | None, same_program: bool) -> list[str]:
    errors = []
    if kind in PARENT_KINDS:
        if parent_kind is None:
            errors.append(f"{KINDS[kind]}には元の契約（{'・'.join(KINDS[k] for k in PARENT_KINDS[kind])}）を選んでください。")
        elif parent_kind not in PARENT_KINDS[kind]:
            errors.append(f"{KINDS[kind]}の元の契約は{'・'.join(KINDS[k] for k in PARENT_KINDS[kind])}でなければなりません（選ばれたのは{KINDS[parent_kind]}）。")
        if parent_kind is not None and not same_program:
            errors.append("元の契約は同じ事務事業の契約を選んでください（別の事務事業の契約の下には置けません）。")
    elif parent_kind is not None:
        errors.append(f"{KINDS[kind]}には元の契約を指定しません。")
    return errors


def needs_approval(kind: str) -> bool:
    """再委託・再々委託 need the city's prior written approval (特記事項第10条第1項ただし書)."""
    return kind in PARENT_KINDS


# ---------------------------------------------------------------- 別紙4: the checklist

CHECKLIST = [
    (1, "受注者からの提出物の確認（全般）", "保護管理者及び保護担当者届・秘密保持に関する誓約書・受注業務に係る個人情報の預かり書の提出確認", ""),
    (2, "個人情報の取扱いに関する規定等の整備", "個人情報の取扱いに関するマニュアル等の有無及び内容の確認", "第２条・第３条"),
    (3, "従業員に対する教育・研修等の実施", "教育・研修等の実施状況（回数・頻度）の確認、マニュアル等の有無及び内容の確認", "第４条"),
    (4, "作業場所の確認", "指定された作業場所で業務を行っているかの確認", "第５条"),
    (5, "個人情報の管理状況の確認", "入退室管理方法の確認、保管状況の目視確認、電子機器・情報機器の設置状況の確認", "第６条"),
    (6, "個人情報の収集、目的外利用、第三者への提供、複製に関する事項", "収集方法の確認、目的外利用及び第三者への提供についての承諾の有無の確認、複製を行っていないかの確認", "第７条・第８条・第９条"),
    (7, "再受注の確認", "事前承認の確認、再受注契約内容（安全管理）の確認", "第１０条"),
    (8, "派遣労働者等の利用時の体制", "特記事項に係る教育・研修状況の確認", "第１１条"),
    (9, "報告体制の整備", "定期又は随時報告に関する手順等の確認、報告記録の確認", "第１２条"),
    (10, "事故発生時における対応", "漏えい等の事故発生時の対応手順等の確認、休日・夜間等の緊急時対応の確認", "第１３条"),
    (11, "契約書等に独自に規定している事項（規定している場合のみ）", "規定通り履行されているか確認", ""),
]
RESULTS = {"ok": "適", "ng": "否", "na": "該当なし"}
METHODS = {"onsite": "実地検査", "document": "書面検査", "other": "その他"}


COMMENT_LIMIT = 500  # characters per item's comment: a line of the printed 別紙4 cell, not an essay


def checklist_problems(results: dict, *, complete: bool = True) -> list[tuple[int, str, str]]:
    """(item number, what, message) for each item that is not ready: ``what`` is "result" (no answer of
    適・否・該当なし), "comment" (a 否 without what was wrong) or "length" (a comment over COMMENT_LIMIT).
    ``complete`` False (その他: 日誌提出, staff present): only the length counts."""
    problems = []
    for number, title, _, _ in CHECKLIST:
        entry = results.get(str(number)) or {}
        comment = (entry.get("comment") or "").strip()
        if complete and entry.get("result") not in RESULTS:
            problems.append((number, "result", f"点検項目{number}（{title}）の結果を 適・否・該当なし から選んでください。"))
        elif complete and entry["result"] == "ng" and not comment:
            problems.append((number, "comment", f"点検項目{number}は「否」です。コメントに不適合の内容を書いてください。"))
        if len(comment) > COMMENT_LIMIT:
            problems.append((number, "length", f"点検項目{number}のコメントは{COMMENT_LIMIT:,}文字以内で入力してください（いまは{len(comment):,}文字です）。"))
    return problems


def checklist_errors(results: dict, *, complete: bool = True) -> list[str]:
    return [message for _, _, message in checklist_problems(results, complete=complete)]


def checklist_required(method: str) -> bool:
    """実地検査 and 書面検査 answer the whole 別紙4; その他 (日誌提出, staff present) need not."""
    return method in ("onsite", "document")


# ---------------------------------------------------------------- what the office follows up (warnings)

# The contract list's warning filters (and the home page's entries): key → label, with the provision.
WARNINGS = {
    "unapproved": "書面承認の記録がない再委託（特記事項第10条）",
    "missing_forms": "別紙1〜3がそろっていない契約（契約期間中）",
    "no_disposal": "終了後の返還・廃棄の記録がない契約（特記事項第14条）",
    "no_inspection": "今年度の検査の記録がない契約（特記事項第15条）",
}
# The inspection list's finding filters.
FINDING_FILTERS = {
    "open": "是正の確認がまだの指摘事項がある検査",
    "overdue": "是正期限を過ぎて確認がない指摘事項がある検査",
}
CERTIFICATION_FILTERS = {
    "expiring": "有効期限が近い認証がある事業者",
    "expired": "有効期限が切れた認証がある事業者（更新の記録なし）",
}
# How long before a certification's expiry the office is told (MAMORI_CERTIFICATION_NOTICE_DAYS: cities differ).
CERTIFICATION_NOTICE_DAYS = 60


def finding_overdue(due_on: datetime.date | None, done_on: datetime.date | None, today: datetime.date) -> bool:
    """A finding (是正) not confirmed by its due day."""
    return done_on is None and due_on is not None and due_on < today


def days_note(day: datetime.date, today: datetime.date, *, what: str) -> str:
    """「是正期限 令和8年11月30日（月）・1日超過」, 「有効期限 令和8年12月31日（木）・あと30日」."""
    delta = (day - today).days
    when = "本日" if delta == 0 else f"あと{delta:,}日" if delta > 0 else f"{-delta:,}日超過"
    return f"{what} {wareki(day, weekday=True)}・{when}"


# ---------------------------------------------------------------- 資料5: 約N%


def approx_percent(part: int, whole: int) -> int | None:
    """約N% as the seed prints them: 45/296 → 15, 200/296 → 68 (四捨五入 of the percentage)."""
    if whole <= 0:
        return None
    return int((Decimal(100) * part / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


DISPOSAL_METHODS = {"return": "返還", "erase": "消去", "destroy": "廃棄"}
FORMS = {"1": "別紙1 保護管理者及び保護担当者届", "2": "別紙2 秘密保持に関する誓約書", "3": "別紙3 受注業務に係る個人情報の預かり書"}
