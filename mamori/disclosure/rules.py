"""Decision deadlines for requests: the law as data and small pure functions.

No ORM: the received date, the clock's events, the closure calendar and the
municipality's settings come in as arguments. Every step of a computed deadline is
written out, so the due date explains itself (DueDate.explanation).

Counting (DOMAIN.md §3):
- 民法第140条: a period in days does not count its first day; day 1 is the day after receipt.
- 補正 (correcting a defective request): the days it took are not counted
  (法第83条第1項ただし書・第94条第1項ただし書・第102条第1項ただし書; 情報公開条例 likewise).
- Extension: at most 30 days, notified in writing with the reason before the period ends
  (法第83条第2項・第94条第2項・第102条第2項).
- 特例: 法第84条 (開示: 60日以内に相当の部分, 残りは相当の期間; notified within the first 30 days),
  法第95条・第103条 (訂正・利用停止: 相当の期間; notified within the first 30 days).
- A last day on a closure day moves to the next open day for the office's decision
  deadline when the municipality so decides (setting, default yes); the raw day is kept.
"""
from __future__ import annotations

import calendar as _cal
import datetime
from dataclasses import dataclass, field

from mamori.core.calendar import ClosureCalendar, add_months, seireki, wareki

D = datetime.timedelta


class RuleError(ValueError):
    """Input the law does not allow; the message says what to fix, in Japanese. ``field`` names the
    input the message belongs beside (the clock's start_on, end_on, days, rest_due or kind), when one does."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def day_label(day: datetime.date) -> str:
    """A day as a person reads it here: 令和7年1月6日（月）. Before 大正 (1912-07-30) there is no 和暦
    in core.calendar; such a day (a typing mistake, or the CLI's 1900s) reads 1905年1月6日（金）."""
    try:
        return wareki(day, weekday=True)
    except ValueError:
        return seireki(day)


@dataclass(frozen=True)
class ProcedureRule:
    code: str
    label: str
    period_days: int
    period_article: str
    extension_max_days: int
    extension_article: str
    special_article: str | None
    special_first_part_days: int | None  # 開示の特例: 相当の部分 within this many days
    correction_article: str
    roll_forward: bool = True


# Statutory defaults; the 公文書 procedures take their figures from the municipality's settings.
PERSONAL = {
    "personal-disclosure": ("保有個人情報開示請求", "個人情報保護法第83条第1項", "個人情報保護法第83条第2項", "個人情報保護法第84条", 60),
    "personal-correction": ("保有個人情報訂正請求", "個人情報保護法第94条第1項", "個人情報保護法第94条第2項", "個人情報保護法第95条", None),
    "personal-suspension": ("保有個人情報利用停止請求", "個人情報保護法第102条第1項", "個人情報保護法第102条第2項", "個人情報保護法第103条", None),
}
PUBLIC = {
    "public-request": "公文書公開請求",
    "public-offer": "公文書公開申出",
}
PROCEDURE_LABELS = {**{k: v[0] for k, v in PERSONAL.items()}, **PUBLIC}


PUBLIC_CODES = frozenset(PUBLIC)


def is_public(code: str) -> bool:
    """A 公文書 procedure (情報公開条例), not one of 個人情報保護法第5章第4節."""
    return code in PUBLIC_CODES


# ---------------------------------------------------------------- who may ask, and the words of each law

# 個人情報保護法第76条第1項・第2項 (開示), 第90条第1項・第2項 (訂正), 第98条第1項・第2項 (利用停止): 本人, or for
# 本人 a minor or adult ward's 法定代理人, or an agent the 本人 entrusted (任意代理人). 情報公開条例: 何人も (any
# person or body) asks for a 公文書, for no one else: it has no 本人 and no 代理人, so no 区分 (RequesterRole.OTHER).
PERSONAL_REQUESTER_ROLES = ("self", "legal", "agent")
PUBLIC_REQUESTER_ROLES = ("other",)


def requester_roles(code: str) -> tuple[str, ...]:
    """The 請求者の区分 a procedure knows (RequesterRole values)."""
    return PUBLIC_REQUESTER_ROLES if is_public(code) else PERSONAL_REQUESTER_ROLES


def requester_role_problem(code: str, role: str) -> str | None:
    """Why ``role`` does not fit the procedure, in words that say what to choose; None when it fits."""
    if role in requester_roles(code):
        return None
    if is_public(code):
        return (f"{PROCEDURE_LABELS[code]}には請求者の区分（本人・法定代理人・任意代理人）がありません（情報公開条例：何人も請求できます）。"
                "区分は空欄にしてください。")
    return (f"{PROCEDURE_LABELS.get(code, '保有個人情報の請求')}では、請求者の区分を本人・法定代理人・任意代理人から選んでください"
            "（個人情報保護法第76条第2項）。")


# DOMAIN.md §8: a 公文書 is decided 公開・部分公開・非公開 (情報公開条例), a 保有個人情報 開示・部分開示・不開示
# (個人情報保護法第82条); 不開示 includes 不存在 and 存否応答拒否 (法第81条), 移送 is 法第85条.
DECISION_WORDS = {
    True: {"disclose": "公開", "partial": "部分公開", "nondisclose": "非公開", "nonexistent": "非公開（不存在）", "neither": "存否応答拒否",
           "withdrawn": "取下げ", "rejected": "却下", "transferred": "移送"},
    False: {"disclose": "開示", "partial": "部分開示", "nondisclose": "不開示", "nonexistent": "不開示（不存在）", "neither": "存否応答拒否",
            "withdrawn": "取下げ", "rejected": "却下", "transferred": "移送"},
}


def decision_word(code: str, decision: str) -> str:
    """A document's decision in the words of its procedure; empty for no decision."""
    return DECISION_WORDS[is_public(code)].get(decision, "") if decision else ""


def decision_choices(code: str) -> list[tuple[str, str]]:
    """The decisions a form offers for a request of this procedure, in its words."""
    return list(DECISION_WORDS[is_public(code)].items())


def procedure_words(code: str) -> dict[str, str]:
    """The words a notice uses for this procedure: 手続 (公文書／保有個人情報), 開示 (公開／開示), 不開示 (非公開／不開示),
    請求 (申出 for a 公文書公開申出, which is voluntary, not a right under the ordinance)."""
    public = is_public(code)
    return {"手続": "公文書" if public else "保有個人情報", "開示": "公開" if public else "開示", "不開示": "非公開" if public else "不開示",
            "請求": "申出" if code == "public-offer" else "請求"}


@dataclass(frozen=True)
class Settings:
    """The municipality's choices (core.MunicipalSettings), defaults as 朝霞市 / the statute."""

    personal_days: int = 30  # 法第108条: an ordinance may shorten it (PPC Q&A 5-6-1)
    public_days: int = 15  # 情報公開条例 (typical in 埼玉県)
    public_extension_days: int = 30
    public_article: str = "情報公開条例"
    roll_forward: bool = True


def rule_for(code: str, settings: Settings = Settings()) -> ProcedureRule:
    if code in PERSONAL:
        label, article, ext_article, special, first_part = PERSONAL[code]
        return ProcedureRule(
            code, label, settings.personal_days, article, 30, ext_article, special, first_part,
            correction_article=f"{article}ただし書",
            roll_forward=settings.roll_forward,
        )
    if code in PUBLIC:
        return ProcedureRule(
            code, PUBLIC[code], settings.public_days, f"{settings.public_article}（期間は自治体設定）",
            settings.public_extension_days, f"{settings.public_article}（延長）", f"{settings.public_article}（特例）", None,
            correction_article=f"{settings.public_article}（補正期間の不算入）", roll_forward=settings.roll_forward,
        )
    raise RuleError(f"手続「{code}」はありません。{', '.join(PROCEDURE_LABELS)} のいずれかです。")


@dataclass(frozen=True)
class Correction:
    """補正: asked on ``requested_on``, the corrected request received on ``returned_on`` (None: still out)."""

    requested_on: datetime.date
    returned_on: datetime.date | None = None


@dataclass(frozen=True)
class Extension:
    notified_on: datetime.date
    days: int
    reason: str = ""


@dataclass(frozen=True)
class Special:
    """特例 notice: the rest decided by ``rest_due`` (相当の期間)."""

    notified_on: datetime.date
    rest_due: datetime.date
    reason: str = ""


@dataclass
class DueDate:
    due: datetime.date | None  # None while a 補正 is out (the clock is stopped)
    raw: datetime.date | None  # the last day before moving off a closure day
    first_period_end: datetime.date | None  # the end of the plain period (for notices that must come before it)
    steps: list[str] = field(default_factory=list)
    closure: str | None = None  # why ``raw`` was a closure day
    stopped: bool = False
    special_rest_due: datetime.date | None = None

    @property
    def explanation(self) -> str:
        return "\n".join(self.steps)

    def as_json(self) -> dict:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"due": iso(self.due), "raw_due": iso(self.raw), "first_period_end": iso(self.first_period_end),
                "closure": self.closure, "stopped": self.stopped, "special_rest_due": iso(self.special_rest_due),
                "explanation": self.steps}


def _roll(day: datetime.date, rule: ProcedureRule, calendar: ClosureCalendar, steps: list[str], what: str) -> tuple[datetime.date, str | None]:
    reason = calendar.reason(day)
    if reason is None:
        return day, None
    if not rule.roll_forward:
        steps.append(f"{what}{day_label(day)}は閉庁日（{reason}）ですが、自治体設定により繰り延べません。")
        return day, reason
    moved = calendar.next_open(day)
    steps.append(f"{what}{day_label(day)}は閉庁日（{reason}）のため、翌開庁日の{day_label(moved)}とします（自治体設定）。")
    return moved, reason


def compute_due(
    rule: ProcedureRule,
    received: datetime.date,
    *,
    corrections: list[Correction] = (),
    extension: Extension | None = None,
    special: Special | None = None,
    calendar: ClosureCalendar | None = None,
) -> DueDate:
    calendar = calendar or ClosureCalendar()
    steps = [f"受付日 {day_label(received)}。初日は算入せず翌日から数えます（民法第140条）。"]
    skipped = 0
    for c in corrections:
        if c.requested_on < received:
            raise RuleError(f"補正を求めた日（{day_label(c.requested_on)}）が受付日（{day_label(received)}）より前です。日付を確かめてください。", "start_on")
        if c.returned_on is None:
            steps.append(f"{day_label(c.requested_on)}に補正を求め、まだ補正されていないため、期限は止まっています（{rule.correction_article}）。")
            return DueDate(None, None, None, steps, stopped=True)
        if c.returned_on < c.requested_on:
            raise RuleError(f"補正の終わり（{day_label(c.returned_on)}）が始まり（{day_label(c.requested_on)}）より前です。補正を求めた日と補正された日を確かめてください。", "end_on")
        days = (c.returned_on - c.requested_on).days
        skipped += days
        steps.append(f"補正期間 {day_label(c.requested_on)}〜{day_label(c.returned_on)} の{days}日は算入しません（{rule.correction_article}）。")
    first_end = received + D(days=rule.period_days + skipped)
    steps.append(f"{rule.period_days}日目{'（補正の日数を除く）' if skipped else ''}は{day_label(first_end)}です（{rule.period_article}）。")
    first_due, _ = _roll(first_end, rule, calendar, [], "")
    raw = first_end
    if extension and special:
        raise RuleError("延長と特例は同時に使えません。どちらか一方を記録してください。", "kind")
    if extension:
        if extension.days < 1:
            raise RuleError("延長する日数は1日以上で入力してください。", "days")
        if extension.days > rule.extension_max_days:
            raise RuleError(
                f"延長は{rule.extension_max_days}日以内です（{rule.extension_article}）。{extension.days}日は延長できません。"
                + (f"さらに期間が必要なときは特例（{rule.special_article}）を使います。" if rule.special_article else ""),
                "days",
            )
        if extension.notified_on > first_due:
            raise RuleError(f"延長の通知は当初の期限（{day_label(first_due)}）までにしなければなりません（{rule.extension_article}）。", "start_on")
        raw = first_end + D(days=extension.days)
        steps.append(f"{day_label(extension.notified_on)}に{extension.days}日の延長を通知（{rule.extension_article}）：{day_label(raw)}まで。"
                     + (f"理由：{extension.reason}" if extension.reason else ""))
    rest_due = None
    if special:
        if rule.special_article is None:
            raise RuleError(f"{rule.label}には特例がありません。", "kind")
        if special.notified_on > first_due:
            raise RuleError(f"特例の通知は当初の期限（{day_label(first_due)}）までにしなければなりません（{rule.special_article}）。", "start_on")
        if rule.special_first_part_days:
            raw = received + D(days=rule.special_first_part_days + skipped)
            steps.append(f"{day_label(special.notified_on)}に特例を通知（{rule.special_article}）：相当の部分は{rule.special_first_part_days}日目の{day_label(raw)}まで、"
                         f"残りは{day_label(special.rest_due)}まで。")
        else:
            raw = special.rest_due
            steps.append(f"{day_label(special.notified_on)}に特例を通知（{rule.special_article}）：相当の期間として{day_label(raw)}まで。")
        if special.rest_due < raw:
            raise RuleError(f"特例の残りの期限（{day_label(special.rest_due)}）は{day_label(raw)}より後にしてください。", "rest_due")
        rest_due = special.rest_due
    due, closure = _roll(raw, rule, calendar, steps, "最終日の")
    if due == raw:
        steps.append(f"決定の期限は{day_label(due)}です。")
    return DueDate(due, raw, first_end, steps, closure=closure, special_rest_due=rest_due)


# ---------------------------------------------------------------- requester-side periods


def requester_deadline(start: datetime.date, *, days: int = 0, months: int = 0, calendar: ClosureCalendar | None = None) -> datetime.date:
    """A period the requester must keep: first day not counted (民法第140条); months end on the day
    before the corresponding day (民法第143条第2項); a closure last day moves to the next open day
    (地方自治法第4条の2第4項)."""
    calendar = calendar or ClosureCalendar()
    if days:
        end = start + D(days=days)
    else:
        first = start + D(days=1)
        month = first.month - 1 + months
        year, month = first.year + month // 12, month % 12 + 1
        if first.day > _cal.monthrange(year, month)[1]:
            end = datetime.date(year, month, _cal.monthrange(year, month)[1])  # 同項ただし書: no corresponding day
        else:
            end = add_months(first, months) - D(days=1)
    return calendar.next_open(end)


def correction_filing_deadline(disclosed_on: datetime.date, calendar: ClosureCalendar | None = None) -> datetime.date:
    """訂正請求・利用停止請求は開示を受けた日から90日以内（法第90条第3項・第98条第3項）。"""
    return requester_deadline(disclosed_on, days=90, calendar=calendar)


def appeal_deadline(known_on: datetime.date, calendar: ClosureCalendar | None = None) -> datetime.date:
    """審査請求は処分を知った日の翌日から起算して3月以内（行政不服審査法第18条第1項）。"""
    return requester_deadline(known_on, months=3, calendar=calendar)


def earliest_disclosure_after_objection(decided_on: datetime.date) -> datetime.date:
    """第三者が反対意見書を出したとき、開示決定の日と開示の実施の日の間に少なくとも2週間を置く（法第86条第3項）."""
    return decided_on + D(days=15)


# ---------------------------------------------------------------- the report's rates


def disclosure_rates(documents: int, disclosed: int, partial: int, withdrawn: int, formula: str = "asaka") -> tuple[int | None, int | None]:
    """公開率 (資料3): 朝霞市's formula, which reproduces every figure of the seed (DOMAIN.md §6):
    公開 = floor(100 × (公開 + 取下げ) / 文書数); 部分公開 = floor(100 × (公開 + 部分公開 + 取下げ) / 文書数).
    ``formula="exclude-withdrawn"`` leaves 取下げ out of numerator and denominator (another city's practice)."""
    if formula == "exclude-withdrawn":
        documents, withdrawn = documents - withdrawn, 0
    if documents <= 0:
        return None, None
    return (100 * (disclosed + withdrawn)) // documents, (100 * (disclosed + partial + withdrawn)) // documents


# 個人情報保護法第78条第1項: 不開示情報 (as applied to 地方公共団体の機関, 同項各号・第2項の読替え).
PERSONAL_REASONS = {
    "法第78条第1項第1号": "開示請求者の生命、健康、生活又は財産を害するおそれがある情報",
    "法第78条第1項第2号": "開示請求者以外の個人に関する情報",
    "法第78条第1項第3号": "法人その他の団体に関する情報",
    "法第78条第1項第4号": "公共の安全と秩序の維持に支障を及ぼすおそれがある情報",
    "法第78条第1項第5号": "犯罪の予防、鎮圧又は捜査その他の公共の安全と秩序の維持に支障を及ぼすおそれがある情報",
    "法第78条第1項第6号": "審議、検討又は協議に関する情報",
    "法第78条第1項第7号": "事務又は事業の適正な遂行に支障を及ぼすおそれがある情報",
}


# ---------------------------------------------------------------- redaction: the ground of each box (issue 16)

# 情報公開条例の非公開情報 (朝霞市情報公開条例第7条各号, as the decision form's example reads it). The city's ordinance
# numbers its 号 itself; these are the codes a box offers for a 公文書, printed on the box and on the notice.
PUBLIC_REASONS = {
    "条例第7条第1号": "法令等の規定により公開することができない情報",
    "条例第7条第2号": "個人に関する情報で、特定の個人を識別することができるもの",
    "条例第7条第3号": "法人その他の団体に関する情報で、公開により正当な利益を害するおそれがあるもの",
    "条例第7条第4号": "公共の安全と秩序の維持に支障を及ぼすおそれがある情報",
    "条例第7条第5号": "審議、検討又は協議に関する情報で、率直な意見の交換等が不当に損なわれるおそれがあるもの",
    "条例第7条第6号": "事務又は事業の適正な遂行に支障を及ぼすおそれがある情報",
}


def box_reasons(code: str) -> dict[str, str]:
    """The articles a box may be withheld under: the ordinance's 非公開情報 for a 公文書 (PUBLIC_REASONS),
    個人情報保護法第78条第1項各号 for a 保有個人情報 (PERSONAL_REASONS)."""
    return PUBLIC_REASONS if is_public(code) else PERSONAL_REASONS


WHOLE_PAGE_SHARE = 0.95  # a page withheld whole: its boxes cover this share of it (a margin may stay white)


def _covered_share(size: tuple[float, float], rects: list[tuple[float, float, float, float]]) -> float:
    """The share of a page of ``size`` (w, h) that ``rects`` (x0, top, x1, bottom) cover, overlaps counted once
    (the union, by the grid of the rectangles' own edges)."""
    w, h = size
    clipped = [(max(0.0, a), max(0.0, t), min(w, b), min(h, m)) for a, t, b, m in rects]
    clipped = [r for r in clipped if r[2] > r[0] and r[3] > r[1]]
    if not clipped or w <= 0 or h <= 0:
        return 0.0
    xs = sorted({v for r in clipped for v in (r[0], r[2])})
    ys = sorted({v for r in clipped for v in (r[1], r[3])})
    area = 0.0
    for xa, xb in zip(xs, xs[1:]):
        for ya, yb in zip(ys, ys[1:]):
            if any(r[0] <= xa and xb <= r[2] and r[1] <= ya and yb <= r[3] for r in clipped):
                area += (xb - xa) * (yb - ya)
    return area / (w * h)


def decision_from_boxes(page_sizes: list[tuple[float, float]], boxes: list[tuple[int, float, float, float, float]]) -> str:
    """The decision a document's boxes amount to (条例・法第82条: 公開しない部分を除いて公開する):
    no box → 公開（disclose）; every page covered whole → 非公開（nondisclose）; otherwise 部分公開（partial).
    ``boxes`` are (page, x0, top, x1, bottom) of every file of the document; ``page_sizes`` every page of them."""
    if not boxes:
        return "disclose"
    if not page_sizes:
        return "partial"
    by_page: dict[int, list] = {}
    for page, *rect in boxes:
        by_page.setdefault(page, []).append(tuple(rect))
    whole = all(_covered_share(size, by_page.get(n, [])) >= WHOLE_PAGE_SHARE for n, size in enumerate(page_sizes, start=1))
    return "nondisclose" if whole else "partial"


# ---------------------------------------------------------------- the 写しの交付 and 閲覧 fees (issue 16)


@dataclass(frozen=True)
class Fee:
    amount: int
    sheets: int       # sheets of paper handed over
    sides: int        # printed sides (= pages)
    explanation: str  # 「白黒 12面 × 10円 = 120円」…


def copy_fee(pages: list[bool], *, monochrome: int, colour: int, double_sided: bool = False, per_side: bool = True) -> Fee:
    """写しの交付の費用 (個人情報保護法第87条第1項・第89条; 情報公開条例 and its 規則): ``pages`` says for each page whether
    it is printed in colour. A page is one side. Printed double-sided, two pages share a sheet; the fee is per side
    when ``per_side`` (朝霞市: 片面ごとに1枚), otherwise per sheet, a sheet with any colour side at the colour price."""
    if not pages:
        return Fee(0, 0, 0, "交付する面がありません。")
    mono_sides = sum(1 for c in pages if not c)
    colour_sides = len(pages) - mono_sides
    if per_side or not double_sided:
        sheets = (len(pages) + 1) // 2 if double_sided else len(pages)
        amount = mono_sides * monochrome + colour_sides * colour
        parts = [f"{label} {n:,}面 × {price:,}円" for label, n, price in (("白黒", mono_sides, monochrome), ("カラー", colour_sides, colour)) if n]
        return Fee(amount, sheets, len(pages), f"{' ＋ '.join(parts)} ＝ {amount:,}円（{'両面' if double_sided else '片面'}印刷 {sheets:,}枚）")
    # per sheet, double-sided: pairs of pages in order; a sheet is colour if either side is.
    sheet_colours = [any(pages[i:i + 2]) for i in range(0, len(pages), 2)]
    mono_sheets = sum(1 for c in sheet_colours if not c)
    colour_sheets = len(sheet_colours) - mono_sheets
    amount = mono_sheets * monochrome + colour_sheets * colour
    parts = [f"{label} {n:,}枚 × {price:,}円" for label, n, price in (("白黒", mono_sheets, monochrome), ("カラー", colour_sheets, colour)) if n]
    return Fee(amount, len(sheet_colours), len(pages), f"{' ＋ '.join(parts)} ＝ {amount:,}円（両面印刷・1枚ごと）")


def inspection_fee(pages: int, *, per_page: int) -> int:
    """閲覧の費用: per page (面) shown, as the city's 条例 sets it (often free: 0)."""
    return max(0, pages) * per_page
