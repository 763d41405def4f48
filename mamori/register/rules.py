"""Rules of the register: the law as data and small pure functions.

No ORM here; values come in as arguments.
"""
from django.core.exceptions import ValidationError

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


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise ValidationError(
            f"「{S(current).label}」の届出を「{S(target).label}」にはできません。画面を更新して最新の状態を確認してください。"
        )


# ---------------------------------------------------------------- 個人情報ファイル簿
# 個人情報保護法第75条第1項: 行政機関等の長は個人情報ファイル簿を作成し公表する。
# 同条第2項により第74条第2項第9号（本人の数が政令で定める数に満たないもの）を準用して除く。
# 政令で定める数は1,000人 (DOMAIN.md §1; a municipal setting, MunicipalSettings.file_register_threshold).


def requires_file_register(person_count: int | None, threshold: int) -> bool | None:
    """True when the program's file must appear in the 個人情報ファイル簿; None if the count is unknown."""
    if person_count is None:
        return None
    return person_count >= threshold
