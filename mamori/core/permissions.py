"""Who may do what: one policy, used by views, selectors and services.

Department roles (所管課担当・所管課長) see and act on their own unit and the units
beneath it (a 課長 placed on 生活援護課 covers its 係 and the project team housed
there). The office (個人情報保護担当) sees everything and reviews. 監査 reads
everything and the audit log. 審議会委員 read council materials only. システム管理者
manages users and the organisation.
"""
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from mamori.core.models import DEPARTMENT_ROLES, OrgUnit, Role

READ_ALL_ROLES = {Role.PRIVACY_OFFICE, Role.AUDITOR}
REGISTER_ROLES = DEPARTMENT_ROLES | READ_ALL_ROLES


def has_role(user, *roles) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def unit_in_scope(user, unit: OrgUnit | None) -> bool:
    """A department user's unit covers itself and its subtree."""
    if unit is None or not has_role(user, *DEPARTMENT_ROLES) or user.unit is None:
        return False
    return unit.path.startswith(user.unit.path)


def unit_scope_q(user, field: str = "unit") -> Q:
    """Filter for records whose ``field`` (an OrgUnit) the user may see."""
    if has_role(user, *READ_ALL_ROLES):
        return Q()
    if has_role(user, *DEPARTMENT_ROLES) and user.unit is not None:
        return Q(**{f"{field}__path__startswith": user.unit.path})
    return Q(pk__in=[])


def units_q(user) -> Q:
    """Filter on OrgUnit itself: the units a user may see or choose."""
    if has_role(user, *READ_ALL_ROLES):
        return Q()
    if has_role(user, *DEPARTMENT_ROLES) and user.unit is not None:
        return Q(path__startswith=user.unit.path)
    return Q(pk__in=[])


def can_view_register(user) -> bool:
    return has_role(user, *REGISTER_ROLES)


def can_draft(user, unit: OrgUnit | None = None) -> bool:
    if not has_role(user, *DEPARTMENT_ROLES):
        return False
    return unit is None or unit_in_scope(user, unit)


def can_approve(user, unit: OrgUnit) -> bool:
    return has_role(user, Role.DEPT_MANAGER) and unit_in_scope(user, unit)


def can_review(user) -> bool:
    return has_role(user, Role.PRIVACY_OFFICE)


def can_manage_vocabulary(user) -> bool:
    return has_role(user, Role.PRIVACY_OFFICE)


def can_view_audit(user) -> bool:
    return has_role(user, Role.AUDITOR, Role.PRIVACY_OFFICE, Role.SYSADMIN)


def can_manage_users(user) -> bool:
    return has_role(user, Role.SYSADMIN)


def can_manage_organisation(user) -> bool:
    """The organisation tree: the system administrator, and the office (it maps imported 担当)."""
    return has_role(user, Role.SYSADMIN, Role.PRIVACY_OFFICE)


def can_view_council(user) -> bool:
    return has_role(user, Role.COUNCIL, Role.PRIVACY_OFFICE, Role.AUDITOR)


def require(allowed: bool, message: str = "この操作を行う権限がありません。") -> None:
    if not allowed:
        raise PermissionDenied(message)
