"""The 個人情報ファイル簿 as the law says: what an entry holds, which files are left out, when an entry
is made, amended and deleted, and by when the office publishes it.

No ORM here: facts, dates and the closure calendar come in as arguments.

Sources (e-Gov 法令検索 text of 個人情報の保護に関する法律 and its 施行令):
- 法第75条第1項: the 行政機関の長等 keep and publish a 個人情報ファイル簿 holding, for each file, the
  matters of 法第74条第1項第1号から第7号まで, 第9号 and 第10号, and what the 政令 adds.
- 法第75条第4項: for a 地方公共団体, also whether the file holds 条例要配慮個人情報.
- 施行令第20条第6項: the 政令's additions — 第1号 whether the file is one of 法第60条第2項第1号
  (電子計算機処理: 電算) or 第2号 (マニュアル処理); 第2号 for a 電算 file, whether a manual file
  holding its records (次条第7項) exists.
- 法第75条第2項: left out are the files of 法第74条第2項第1号から第10号まで (第9号: fewer persons than
  the 政令's number, 1,000 — here a municipal setting), 第2号 files within a published file's
  purpose, items and scope, 第3号 what the 政令 treats alike; 第3項: a file whose listing would
  seriously hinder the work may be left out.
- 施行令第20条: 第1項 an entry is made 直ちに when a file comes to be held; 第2項 one register for the
  body; 第3項 amended 直ちに when a matter changes; 第4項 deleted 遅滞なく when the file is no longer
  held or falls under 法第74条第2項第9号; 第5項 kept at the office and published on the internet.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from mamori.core.calendar import ClosureCalendar, wareki
from mamori.register.rules import requires_file_register

# ---------------------------------------------------------------- what an entry holds


@dataclass(frozen=True)
class Field:
    key: str  # JSON name (docs/file-register-schema.md)
    label: str  # the column heading: the statute's words
    basis: str  # the article that requires it
    type: str  # string / list / boolean / kind / date
    source: str  # where Mamori takes it from: register / file / settings / publication


ENTRY_FIELDS: tuple[Field, ...] = (
    Field("name", "個人情報ファイルの名称", "法第74条第1項第1号", "string", "file"),
    Field("organ", "行政機関等の名称", "法第74条第1項第2号", "string", "register"),
    Field("units", "個人情報ファイルが利用に供される事務をつかさどる組織の名称", "法第74条第1項第2号", "list", "register"),
    Field("purpose", "個人情報ファイルの利用目的", "法第74条第1項第3号", "string", "register"),
    Field("items", "記録項目", "法第74条第1項第4号", "list", "register"),
    Field("scope", "記録範囲", "法第74条第1項第4号", "string", "file"),
    Field("collection", "記録情報の収集方法", "法第74条第1項第5号", "string", "file"),
    Field("sensitive", "要配慮個人情報が含まれるときは、その旨", "法第74条第1項第6号", "boolean", "register"),
    Field("ordinance_sensitive", "条例要配慮個人情報が含まれるときは、その旨", "法第75条第4項", "boolean", "register"),
    Field("recipients", "記録情報の経常的提供先", "法第74条第1項第7号", "list", "register"),
    Field("request_office", "開示請求等を受理する組織の名称及び所在地", "法第74条第1項第9号", "string", "settings"),
    Field("special_procedures", "訂正及び利用停止に関する他の法令の規定による特別の手続等", "法第74条第1項第10号", "string", "register"),
    Field("kind", "個人情報ファイルの種別", "施行令第20条第6項第1号", "kind", "register"),
    Field("manual_counterpart", "電算処理ファイルに係るマニュアル処理ファイルの有無", "施行令第20条第6項第2号", "boolean", "register"),
)
DATE_FIELDS: tuple[Field, ...] = (
    Field("created_on", "作成年月日", "施行令第20条第1項", "date", "publication"),
    Field("changed_on", "変更年月日", "施行令第20条第3項", "date", "publication"),
    Field("deleted_on", "消除年月日", "施行令第20条第4項", "date", "publication"),
)
FIELD_BY_KEY = {f.key: f for f in ENTRY_FIELDS + DATE_FIELDS}
KIND_LABELS = {"computerized": "電算処理ファイル", "manual": "マニュアル処理ファイル"}  # 法第60条第2項第1号・第2号
SOURCE_LABELS = {"register": "管理簿から", "file": "このファイルの記録", "settings": "自治体設定から",
                 "publication": "公表の記録から"}


def shown(field: Field, value) -> str:
    """A value as the entry shows it to a person."""
    if field.type == "list":
        return "、".join(value) if value else "なし"
    if field.type == "boolean":
        return "あり" if value else "なし"
    if field.type == "kind":
        return KIND_LABELS.get(value, value or "—")
    if field.type == "date":
        return wareki(datetime.date.fromisoformat(value)) if value else "—"
    return value or "—"


# ---------------------------------------------------------------- which files are left out

COUNT_GROUND = "74-2-9"  # 法第74条第2項第9号: decided by the person count, never claimed
EXEMPTIONS: dict[str, tuple[str, str]] = {  # code → (article, what it covers)
    "74-2-1": ("法第74条第2項第1号", "国の安全、外交上の秘密その他の国の重大な利益に関する事項を記録するファイル"),
    "74-2-2": ("法第74条第2項第2号", "犯罪の捜査、租税に関する法律の規定に基づく犯則事件の調査又は公訴の提起若しくは維持のために作成し、又は取得するファイル"),
    "74-2-3": ("法第74条第2項第3号", "職員又は職員であった者に係るファイルで、専らその人事、給与若しくは福利厚生に関する事項又はこれらに準ずる事項を記録するもの（職員の採用試験に関するものを含む）"),
    "74-2-4": ("法第74条第2項第4号", "専ら試験的な電子計算機処理の用に供するためのファイル"),
    "74-2-5": ("法第74条第2項第5号", "通知に係るファイルの記録情報の全部又は一部を記録したファイルで、利用目的・記録項目・記録範囲がその範囲内のもの"),
    "74-2-6": ("法第74条第2項第6号", "1年以内に消去することとなる記録情報のみを記録するファイル"),
    "74-2-7": ("法第74条第2項第7号", "資料その他の物品若しくは金銭の送付又は業務上必要な連絡のために利用するファイルで、相手方の氏名、住所その他の送付又は連絡に必要な事項のみを記録するもの"),
    "74-2-8": ("法第74条第2項第8号", "職員が学術研究の用に供するためその発意に基づき作成し、又は取得するファイルで、記録情報を専ら当該学術研究の目的のために利用するもの"),
    COUNT_GROUND: ("法第74条第2項第9号", "本人の数が政令で定める数に満たないファイル"),
    "74-2-10": ("法第74条第2項第10号", "第3号から第9号までに掲げるファイルに準ずるものとして政令で定めるファイル"),
    "75-2-2": ("法第75条第2項第2号", "公表に係るファイルの記録情報の全部又は一部を記録したファイルで、利用目的・記録項目・記録範囲が公表に係るこれらの事項の範囲内のもの"),
    "75-2-3": ("法第75条第2項第3号", "前号に掲げるファイルに準ずるものとして政令で定めるファイル（電算処理ファイルの記録を記録したマニュアル処理ファイルなど）"),
    "75-3": ("法第75条第3項", "掲載することにより、利用目的に係る事務又は事業の適正な遂行に著しい支障を及ぼすおそれがあると認めるファイル"),
}
CLAIMABLE = tuple(code for code in EXEMPTIONS if code != COUNT_GROUND)  # what the office may claim; 第9号 is counted


def ground_label(code: str) -> str:
    """「法第74条第2項第3号（職員の人事…）」 for a ground, "" for none."""
    if not code:
        return ""
    article, what = EXEMPTIONS[code]
    return f"{article}（{what}）"


@dataclass(frozen=True)
class Facts:
    """What the rule needs about a file, read from its programs' current versions and the file."""

    held: bool  # at least one linked program is not abolished (令第20条第4項「保有をやめたとき」)
    person_counts: tuple[int | None, ...]  # the linked programs' 本人の数
    threshold: int  # 法第74条第2項第9号 (自治体設定, 1,000)
    claimed: str = ""  # an exemption the office claims (EXEMPTIONS code), "" for none
    claimed_note: str = ""
    file_count: int | None = None  # the file's own count (a file spanning programs), overrides the programs'
    abolished_on: datetime.date | None = None
    group_names: tuple[str, ...] = ()  # 本人の範囲 (for the hints)
    retentions: tuple[str, ...] = ()  # 保存期間
    items: tuple[str, ...] = ()  # 記録項目 (canonical names)


@dataclass(frozen=True)
class Assessment:
    status: str  # models.Assessment value: listed / exempt / not_held / unknown
    ground: str  # EXEMPTIONS code for an exempt file, "" otherwise
    reason: str  # why, in Japanese, with the article
    hints: tuple[str, ...] = ()  # exemptions the office should consider (never applied by themselves)

    @property
    def listed(self) -> bool:
        return self.status == LISTED


LISTED, EXEMPT, NOT_HELD, UNKNOWN = "listed", "exempt", "not_held", "unknown"


def persons(counts: tuple[int | None, ...], threshold: int, file_count: int | None = None) -> tuple[int | None, str]:
    """The file's 本人の数 for 法第74条第2項第9号, and how it was found.

    One program: its count. Several: the file's own count if the office recorded one; else the largest
    count when it reaches the threshold (the file has at least as many persons), or when all are known
    and even their sum stays below it; otherwise unknown (the same persons may appear in several)."""
    if file_count is not None:
        return file_count, "ファイルに記録した本人の数（重複を除く）"
    known = [c for c in counts if c is not None]
    if len(counts) == 1:
        return counts[0], "事務事業の本人の数"
    if known and max(known) >= threshold:
        return max(known), "事務事業の本人の数のうち最大のもの"
    if len(known) == len(counts) and sum(known) < threshold:
        return sum(known), "事務事業の本人の数の合計"
    return None, ""


STAFF_WORDS = ("職員",)
MAILING_ITEMS = {"氏名", "住所", "郵便番号", "電話番号", "ＦＡＸ番号", "電子メールアドレス", "メールアドレス", "宛名番号", "団体名", "役職・地位"}


def _within_a_year(retention: str) -> bool:
    text = (retention or "").replace(" ", "")
    return text in ("1年", "1年未満", "１年", "１年未満") or text.endswith("か月") or text.endswith("ヶ月") or text.endswith("日")


def hints(f: Facts) -> tuple[str, ...]:
    """Exemptions the register's data suggests. The rule never applies them: only the office knows
    whether a file records *only* staff matters, *only* mailing details, or is erased within a year."""
    out = []
    if f.group_names and all(any(w in g for w in STAFF_WORDS) for g in f.group_names):
        out.append("本人の範囲が職員だけです。人事・給与・福利厚生に関する事項だけを記録するなら" + ground_label("74-2-3") + "に当たります。")
    if f.retentions and all(_within_a_year(r) for r in f.retentions):
        out.append("保存期間が1年以内です。記録情報をすべて1年以内に消去するなら" + ground_label("74-2-6") + "に当たります。")
    if f.items and set(f.items) <= MAILING_ITEMS:
        out.append("記録項目が送付・連絡先だけです。送付・連絡のためだけに使うなら" + ground_label("74-2-7") + "に当たります。")
    return tuple(out)


def assess(f: Facts) -> Assessment:
    """Whether the file is listed in the 個人情報ファイル簿, and why (法第75条第1項・第2項・第3項, 令第20条第4項)."""
    found = hints(f)
    if not f.held:
        when = f"（{wareki(f.abolished_on)}）" if f.abolished_on else ""
        return Assessment(NOT_HELD, "", f"事務事業が廃止され{when}、ファイルを保有しなくなりました（施行令第20条第4項）。")
    if f.claimed:
        note = f"理由：{f.claimed_note.strip()}" if f.claimed_note.strip() else ""
        return Assessment(EXEMPT, f.claimed, f"{ground_label(f.claimed)}に当たるため掲載しません（法第75条第2項・第3項）。{note}")
    count, how = persons(f.person_counts, f.threshold, f.file_count)
    required = requires_file_register(count, f.threshold)
    if required is None:
        if len(f.person_counts) > 1:
            why = "複数の事務事業にまたがり、重複を除いた本人の数が分かりません。ファイルの本人の数を記録してください。"
        else:
            why = "管理簿に本人の数が登録されていません。届出で本人の数を登録するか、ファイルの本人の数を記録してください。"
        return Assessment(UNKNOWN, "", f"{why}（法第74条第2項第9号の判定に必要です）", found)
    if not required:
        return Assessment(EXEMPT, COUNT_GROUND, f"本人の数が{count:,}人（{how}）で、{f.threshold:,}人に満たないため掲載しません"
                                                f"（法第75条第2項・第74条第2項第9号。基準の人数は自治体設定）。", found)
    return Assessment(LISTED, "", f"本人の数が{count:,}人（{how}）で{f.threshold:,}人以上、適用除外に当たらないため掲載します（法第75条第1項）。", found)


# ---------------------------------------------------------------- when an entry is made, amended, deleted

CREATE, CHANGE, DELETE = "create", "change", "delete"


def revision_due(assessment: str, last_published: str | None, differs: bool) -> str | None:
    """The act an entry needs now: CREATE (令第20条第1項), CHANGE (第3項), DELETE (第4項) or None.

    ``last_published``: the kind of the entry's last published revision (None: never published);
    ``differs``: the entry as computed now differs from what was last published.
    A file the rule cannot judge (UNKNOWN) is not newly listed, but an entry already on the register is
    kept in step until the office decides."""
    on_register = last_published in (CREATE, CHANGE)
    if assessment in (EXEMPT, NOT_HELD):
        return DELETE if on_register else None
    if not on_register:
        return CREATE if assessment == LISTED else None
    return CHANGE if differs else None


def deletion_reason(a: Assessment) -> str:
    """The reason a deletion is published with (令第20条第4項, 法第75条第2項)."""
    if a.status == NOT_HELD:
        return "事務の廃止により、個人情報ファイルを保有しなくなったため（施行令第20条第4項）"
    if a.ground == COUNT_GROUND:
        return "本人の数が政令で定める数に満たなくなったため（施行令第20条第4項・法第74条第2項第9号）"
    return f"{EXEMPTIONS[a.ground][0]}に該当するため（法第75条第2項・第3項）"


def publication_due(kind: str, caused_on: datetime.date, calendar: ClosureCalendar, *, prompt_days: int, deletion_days: int) -> datetime.date:
    """The last day to publish the act, in open days after the day that caused it (that day not counted).

    施行令第20条第1項・第3項 say 直ちに, 第4項 遅滞なく (第5項: published 遅滞なく once made). 直ちに admits no
    delay at all, 遅滞なく a delay for a reason; the office needs a working day or so to read a drafted
    entry against the accepted 届出. Days are counted on the office's calendar (土日・祝日・12月29日〜1月3日・
    the city's own closure days are not counted), so an acceptance on 12月28日 is due after the new year."""
    days = deletion_days if kind == DELETE else prompt_days
    day, counted = caused_on, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        counted += calendar.is_open(day)
    return calendar.next_open(day) if days == 0 else day


def overdue(due_on: datetime.date, today: datetime.date) -> bool:
    return today > due_on


def due_note(due_on: datetime.date, today: datetime.date, calendar: ClosureCalendar) -> str:
    """「期限 令和7年1月6日（月）・あと2開庁日」 / 「期限 … ・3日超過」"""
    head = f"公表期限 {wareki(due_on, weekday=True)}"
    if overdue(due_on, today):
        return f"{head}・{(today - due_on).days}日超過"
    if today == due_on:
        return f"{head}・本日まで"
    return f"{head}・あと{calendar.open_days_between(today, due_on)}開庁日"


# ---------------------------------------------------------------- the public change history


def change_lines(old: dict | None, new: dict) -> list[str]:
    """What changed between two published contents, one Japanese line per field (the public history)."""
    if not old:
        return ["個人情報ファイル簿に掲載しました。"]
    lines = []
    for field in ENTRY_FIELDS:
        a, b = old.get(field.key), new.get(field.key)
        if a == b:
            continue
        if field.type == "list":
            a, b = a or [], b or []
            added, removed = [x for x in b if x not in a], [x for x in a if x not in b]
            parts = []
            if added:
                parts.append("「" + "」「".join(added) + "」を追加")
            if removed:
                parts.append("「" + "」「".join(removed) + "」を削除")
            if parts:
                lines.append(f"{field.label}：" + "、".join(parts))
            else:
                lines.append(f"{field.label}：並び順を変更")
        else:
            lines.append(f"{field.label}：「{shown(field, a)}」を「{shown(field, b)}」に変更")
    return lines


def sequence_problem(kinds: list[str]) -> str | None:
    """What is wrong with the order of an entry's published acts (import and restore check it): an entry
    is made before it is changed or deleted, and a deleted entry is made again before it changes."""
    on_register = False
    for i, kind in enumerate(kinds, start=1):
        if kind == CREATE and on_register:
            return f"{i}回目の公表が「作成」ですが、記載はすでにあります（変更か消除のはずです）。"
        if kind in (CHANGE, DELETE) and not on_register:
            return f"{i}回目の公表が「{'変更' if kind == CHANGE else '消除'}」ですが、その前に記載が作成されていません。"
        on_register = kind != DELETE
    return None
