"""Rules of the register: the law as data and small pure functions.

No ORM here; values come in as arguments.
"""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from mamori.core.calendar import wareki
from mamori.register.models import EDITABLE_STATUSES, NotificationKind
from mamori.register.models import NotificationStatus as S

# ---------------------------------------------------------------- 届出 workflow
# 朝霞市個人情報取扱管理簿の届出 (法75条5項の条例による登録簿): 所管課が作成し、所管課長が
# 承認して提出し、個人情報保護担当が審査して受理する。差し戻されたものは修正して再提出する。
# 取り込んだ届出 (mamori ingest) were drafted and approved on paper: the office checks the
# reading against the document and accepts it, or discards it.
TRANSITIONS: dict[str, set[str]] = {
    S.IMPORTED: {S.ACCEPTED, S.WITHDRAWN},
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.APPROVED, S.RETURNED, S.WITHDRAWN},
    S.APPROVED: {S.ACCEPTED, S.RETURNED},
    S.RETURNED: {S.SUBMITTED, S.WITHDRAWN},
    S.ACCEPTED: set(),
    S.WITHDRAWN: set(),
}


def transition_refusal(current: str, target: str) -> str | None:
    if target in TRANSITIONS[current]:
        return None
    return f"「{S(current).label}」の届出を「{S(target).label}」にはできません。画面を更新して最新の状態を確認してください。"


def check_transition(current: str, target: str) -> None:
    message = transition_refusal(current, target)
    if message:
        raise ValidationError(message)


# ---------------------------------------------------------------- who may take which step
# The one place that says which 届出 actions a person may take: services enforce it, the
# 届出 page offers exactly these buttons.
#
# Separation of duties (職務の分離). 地方自治法第150条 (内部統制) and the 事務決裁規程 put the
# 起案者 (who drafts), the 決裁者 (who approves) and the 審査・受理 of the office in different
# hands: nobody approves or accepts their own work. Here:
#   1. the drafters of a 届出 are who created it and everyone who edited or submitted it;
#   2. a 課長 who is a drafter cannot approve it: another 課長 of the unit, or the 課長 (部長)
#      above it, approves (can_approve covers the unit and its subtree);
#   3. the office member who accepts it is neither a drafter nor its approver.
# A 届出 read from a paper document (mamori ingest, status 取込) was drafted and approved on
# paper; the office corrects the reading and accepts it, so rules 1–3 do not apply to it.

ACTIONS = ("edit", "submit", "withdraw", "approve", "return", "accept", "comment")
ACTION_TARGETS = {"submit": S.SUBMITTED, "approve": S.APPROVED, "return": S.RETURNED, "accept": S.ACCEPTED, "withdraw": S.WITHDRAWN}
PERMISSION, STATE = "permission", "state"


@dataclass(frozen=True)
class Standing:
    """What a person is to one 届出, from core.permissions (the rule itself needs no ORM)."""

    drafter: bool  # 所管課 of the 届出's unit: drafts, edits, submits, withdraws
    approver: bool  # its 所管課長: approves, returns before the office
    reviewer: bool  # 個人情報保護担当: returns, accepts
    drafted_it: bool  # created, edited or submitted it (rule 1 above)
    approved_it: bool = False  # approved it as 課長


def refusal(action: str, status: str, who: Standing) -> tuple[str, str] | None:
    """None when ``who`` may take ``action`` on a 届出 in ``status``; else (PERMISSION or STATE, the Japanese reason)."""
    if action == "comment":
        return None if who.reviewer or who.drafter else (PERMISSION, "この届出にコメントする権限がありません。")
    if action in ("edit", "submit") and not who.drafter:
        return PERMISSION, "この届出を編集する権限がありません。"
    if action == "edit" and status not in EDITABLE_STATUSES:
        return STATE, f"「{S(status).label}」の届出は編集できません。"
    if action == "approve" and not who.approver:
        return PERMISSION, "この届出を承認できるのは所管課長です。"
    if action == "approve" and who.drafted_it:
        return PERMISSION, OWN_APPROVAL
    if action == "return":
        if status == S.SUBMITTED and not who.approver:
            return PERMISSION, "課長承認待ちの届出を差し戻せるのは所管課長です。"
        if status != S.SUBMITTED and not who.reviewer:
            return PERMISSION, "審査中の届出を差し戻せるのは個人情報保護担当です。"
    if action == "withdraw":
        if status == S.IMPORTED and not who.reviewer:
            return PERMISSION, "取り込んだ届出を破棄できるのは個人情報保護担当です。"
        if status != S.IMPORTED and not who.drafter:
            return PERMISSION, "この届出を編集する権限がありません。"
    if action == "accept":
        if not who.reviewer:
            return PERMISSION, "届出を受理できるのは個人情報保護担当です。"
        if status != S.IMPORTED and who.drafted_it:
            return PERMISSION, OWN_ACCEPTANCE
        if status != S.IMPORTED and who.approved_it:
            return PERMISSION, APPROVER_ACCEPTANCE
    target = ACTION_TARGETS.get(action)
    message = transition_refusal(status, target) if target else None
    return (STATE, message) if message else None


def actions_open(status: str, who: Standing) -> list[str]:
    """The actions ``who`` may take now, in the order the page shows them."""
    return [action for action in ACTIONS if refusal(action, status, who) is None]


OWN_APPROVAL = "自分が作成・修正・提出した届出は承認できません。同じ課の別の課長か、上位の部長（課長）が承認してください。"
OWN_ACCEPTANCE = "自分が作成・修正・提出した届出は受理できません。別の担当者が受理してください。"
APPROVER_ACCEPTANCE = "自分が課長として承認した届出は受理できません。別の担当者が受理してください。"


def duty_notes(status: str, who: Standing) -> list[str]:
    """Why a step ``who`` could otherwise take is closed to them by the separation of duties (shown by the buttons)."""
    free = Standing(who.drafter, who.approver, who.reviewer, drafted_it=False, approved_it=False)
    notes = []
    for action in ("approve", "accept"):
        refused = refusal(action, status, who)
        if refused and refusal(action, status, free) is None:
            notes.append(refused[1])
    return notes


def duty_conflicts(*, drafters: set, approver, acceptor, imported: bool) -> list[tuple[str, str]]:
    """(field, message) for a recorded 届出 whose steps break rules 2 and 3 above (used by import and restore).

    ``drafters`` are the people (any comparable key: username or id) who created, edited or submitted it."""
    if imported:
        return []
    problems = []
    if approver is not None and approver in drafters:
        problems.append(("approved_by", f"承認者「{approver}」がこの届出の作成・修正・提出者です。{OWN_APPROVAL}"))
    if acceptor is not None and acceptor in drafters:
        problems.append(("accepted_by", f"受理者「{acceptor}」がこの届出の作成・修正・提出者です。{OWN_ACCEPTANCE}"))
    elif acceptor is not None and acceptor == approver:
        problems.append(("accepted_by", f"受理者「{acceptor}」がこの届出の承認者です。{APPROVER_ACCEPTANCE}"))
    return problems


# ---------------------------------------------------------------- 個人情報ファイル簿
# 個人情報保護法第75条第1項: 行政機関等の長は個人情報ファイル簿を作成し公表する。
# 同条第2項により第74条第2項第9号（本人の数が政令で定める数に満たないもの）を準用して除く。
# 政令で定める数は1,000人 (DOMAIN.md §1; a municipal setting, MunicipalSettings.file_register_threshold).


def requires_file_register(person_count: int | None, threshold: int) -> bool | None:
    """True when the program's file must appear in the 個人情報ファイル簿; None if the count is unknown."""
    if person_count is None:
        return None
    return person_count >= threshold


# ---------------------------------------------------------------- 適用年月日
# 届出は事前に行うもの。所管課は事務事業を始めるとき（新規）・変えるとき（変更）に届け出る（法第75条第5項の
# 条例による個人情報取扱管理簿、DOMAIN.md §1）。個人情報ファイル簿も、ファイルを保有するに至ったとき・記載事項が
# 変わったときに直ちに作成・修正し（個人情報の保護に関する法律施行令第20条第1項・第3項）、保有しなくなったときは
# 遅滞なく削除する（同条第4項）。過去の適用年月日は、その日から登録簿が実際の取扱いを示していなかったことになる。
# Warned, not refused: a late 届出 is still better than none, and the office decides what to do about it.
# Shown while the 届出 is on its way (draft to review); an accepted one is history.
WARNED_STATUSES = {S.DRAFT, S.RETURNED, S.SUBMITTED, S.APPROVED}


def effective_date_warning(kind: str, effective: datetime.date | None, today: datetime.date) -> str | None:
    """The warning beside a 届出's 適用年月日 when it lies before ``today``; None otherwise."""
    if effective is None or effective >= today:
        return None
    day = wareki(effective)
    if kind == NotificationKind.ABOLISH:
        return (f"廃止日（{day}）が過去の日付です。廃止は遅滞なく届け出るものです（施行令第20条第4項）。その日から管理簿が実際と"
                "違っていたことになるため、届出が遅れた事情を「理由及び経緯」に書いてください（このまま保存・提出はできます）。")
    return (f"適用年月日（{day}）が過去の日付です。届出は事務事業を始める・変える前に行うものです。その日から管理簿が実際の取扱いと"
            "違っていたことになるため、届出が遅れた事情を「理由及び経緯」に書いてください（このまま保存・提出はできます）。")
