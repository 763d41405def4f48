import datetime

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from mamori.core import permissions as perm
from mamori.core.calendar import fiscal_year, fiscal_year_label
from mamori.core.models import DEPARTMENT_ROLES, OrgUnit, User
from mamori.core.worklist import ITEMS_SHOWN, Entry, Item
from mamori.register.models import GroupItem
from mamori.training.models import TrainingSession


def my_number_units() -> list[OrgUnit]:
    """Units running a program whose current version holds マイナンバー (番号法第29条の2)."""
    flagged = Q(item__my_number=True) | Q(item__alias_of__my_number=True)
    unit_ids = set(GroupItem.objects.filter(flagged, group__version__program__current=F("group__version")).values_list("group__version__unit", flat=True))
    return list(OrgUnit.objects.filter(pk__in=unit_ids).select_related("parent__parent__parent"))


def untrained_my_number_staff(fiscal_year: int) -> list[User]:
    """Department staff of units handling マイナンバー with no training in the fiscal year."""
    start, end = datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 3, 31)
    units = my_number_units()
    out = []
    for user in User.objects.filter(is_active=True, role__in=DEPARTMENT_ROLES, unit__isnull=False).select_related("unit"):
        # the user works where マイナンバー is handled: their unit is one of those units, inside one, or above one
        if any(u.path.startswith(user.unit.path) or user.unit.path.startswith(u.path) for u in units):
            if not user.trainings.filter(held_on__range=(start, end)).exists():
                out.append(user)
    return out


def worklist(user):
    """The office's part of the home page: staff of units handling マイナンバー not trained this fiscal year."""
    if not perm.can_record_training(user):
        return []
    year = fiscal_year(timezone.localdate())
    staff = untrained_my_number_staff(year)
    if not staff:
        return []
    url = reverse("training:list") + "#untrained"
    by_unit: dict[str, int] = {}
    for u in staff:
        by_unit[u.unit.label] = by_unit.get(u.unit.label, 0) + 1
    # by unit, not by name: the home page says where to train; the training page names the people
    items = tuple(Item(label, url, f"{n:,}人") for label, n in sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))[:ITEMS_SHOWN])
    return [Entry(f"{fiscal_year_label(year)}の研修を受けていないマイナンバー取扱課の職員（番号法第29条の2）", len(staff), url, "研修のページへ",
                  "研修を記録するときに「参加した職員」を選ぶと、この一覧から外れます。", items=items)]


def sessions_visible(user):
    """研修 as the training page lists them: the office and the auditors read every session."""
    if not perm.can_read_training(user):
        return TrainingSession.objects.none()
    return TrainingSession.objects.all()
