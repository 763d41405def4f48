"""Who may do what: one policy, used by views, templates (through ``nav``), selectors and services.

Each predicate is named for what it allows, so a reader of a view or service sees the rule,
not a role: ``can_decide_requests(user)``, not "is the office". Roles appear only here.

Department roles (所管課担当・所管課長) see and act on their own unit and the units beneath it
(a 課長 placed on 生活援護課 covers its 係 and the project team housed there). The office
(個人情報保護担当) sees everything, reviews and decides. 監査 reads everything and the audit
log. 審議会委員 read council materials only. システム管理者 manages users and the organisation.
"""
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from mamori.core.models import DEPARTMENT_ROLES, OrgUnit, Role

OFFICE = {Role.PRIVACY_OFFICE}
READ_ALL = {Role.PRIVACY_OFFICE, Role.AUDITOR}  # every department's records
REGISTER_READERS = DEPARTMENT_ROLES | READ_ALL


def has_role(user, *roles) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


# ---------------------------------------------------------------- scope

def sees_all_departments(user) -> bool:
    """Reads every department's programs, requests and contracts (the office and the auditors)."""
    return has_role(user, *READ_ALL)


def is_department_user(user) -> bool:
    """A 所管課 user placed on a unit: sees that unit and what hangs beneath it."""
    return has_role(user, *DEPARTMENT_ROLES) and getattr(user, "unit_id", None) is not None


def unit_in_scope(user, unit: OrgUnit | None) -> bool:
    """A department user's unit covers itself and its subtree."""
    if unit is None or not is_department_user(user):
        return False
    return unit.path.startswith(user.unit.path)


def unit_scope_q(user, field: str = "unit") -> Q:
    """Filter for records whose ``field`` (an OrgUnit) the user may see."""
    if sees_all_departments(user):
        return Q()
    if is_department_user(user):
        return Q(**{f"{field}__path__startswith": user.unit.path})
    return Q(pk__in=[])


def units_q(user) -> Q:
    """Filter on OrgUnit itself: the units a user may see or choose."""
    if sees_all_departments(user):
        return Q()
    if is_department_user(user):
        return Q(path__startswith=user.unit.path)
    return Q(pk__in=[])


# ---------------------------------------------------------------- the register and 届出

def can_read_register(user) -> bool:
    return has_role(user, *REGISTER_READERS)


def can_draft(user, unit: OrgUnit | None = None) -> bool:
    """Drafts, edits, submits and withdraws 届出 (for ``unit`` when given)."""
    if not has_role(user, *DEPARTMENT_ROLES):
        return False
    return unit is None or unit_in_scope(user, unit)


def can_approve(user, unit: OrgUnit | None = None) -> bool:
    """Approves the 届出 of ``unit`` as its 所管課長 (any unit of theirs when none is given)."""
    if not has_role(user, Role.DEPT_MANAGER):
        return False
    return unit is None or unit_in_scope(user, unit)


def can_review_notifications(user) -> bool:
    """Reviews 届出: accepts or returns them, and checks and accepts imported ones."""
    return has_role(user, *OFFICE)


def can_read_imports(user) -> bool:
    """Reads the ingested documents and the 届出 read from them."""
    return has_role(user, *READ_ALL)


def can_migrate_programs(user) -> bool:
    """Registers a program without a 届出 (moving the office's previous register in)."""
    return has_role(user, *OFFICE)


def can_manage_vocabulary(user) -> bool:
    return has_role(user, *OFFICE)


# ---------------------------------------------------------------- 個人情報ファイル簿 (法75条)

def can_read_files(user) -> bool:
    """Reads the 個人情報ファイル簿 kept from the register: a department its own unit's files, the office,
    the auditors and the council every file (the register is public once published)."""
    return has_role(user, *REGISTER_READERS, Role.COUNCIL)


def sees_all_files(user) -> bool:
    return has_role(user, *READ_ALL, Role.COUNCIL)


def can_keep_files(user) -> bool:
    """Creates and edits files, confirms their exemption, publishes their entries."""
    return has_role(user, *OFFICE)


# ---------------------------------------------------------------- requests

def can_read_requests(user) -> bool:
    """Reads requests: all of them (office, auditors) or those concerning one's department."""
    return has_role(user, *READ_ALL, *DEPARTMENT_ROLES)


def can_decide_requests(user) -> bool:
    """Receives requests, decides their documents, records clocks, notices and appeals."""
    return has_role(user, *OFFICE)


def can_see_requester_of_any(user) -> bool:
    """Sees every requester's name and address (those handling requests; auditors do not)."""
    return has_role(user, *OFFICE)


def can_manage_calendar(user) -> bool:
    """Keeps the city's own closure days, which move every deadline."""
    return has_role(user, *OFFICE)


# ---------------------------------------------------------------- contractors

def can_read_contracts(user) -> bool:
    return has_role(user, *READ_ALL, *DEPARTMENT_ROLES)


def can_supervise_contractors(user) -> bool:
    """Registers contractors and certifications, and supervises every contract."""
    return has_role(user, *OFFICE)


def can_manage_contract(user, unit: OrgUnit | None) -> bool:
    """Records a contract of a program of ``unit``, its forms, inspections and findings."""
    return can_supervise_contractors(user) or (unit is not None and can_draft(user, unit))


# ---------------------------------------------------------------- incidents and training

def can_read_incidents(user) -> bool:
    return has_role(user, *READ_ALL)


def can_manage_incidents(user) -> bool:
    """Records leaks, confirms whether they must be reported, drafts the PPC report."""
    return has_role(user, *OFFICE)


def can_read_training(user) -> bool:
    return has_role(user, *READ_ALL)


def can_record_training(user) -> bool:
    return has_role(user, *OFFICE)


# ---------------------------------------------------------------- handbooks (手引; 資料7)

def can_read_handbooks(user) -> bool:
    """Reads the office's handbooks, their editions and revisions (staff work by them)."""
    return has_role(user, *REGISTER_READERS)


def can_keep_handbooks(user) -> bool:
    """Uploads and edits editions, makes and finalizes revisions (新旧対照表)."""
    return has_role(user, *OFFICE)


# ---------------------------------------------------------------- council and reports

def can_read_council(user) -> bool:
    return has_role(user, Role.COUNCIL, *READ_ALL)


def can_manage_council(user) -> bool:
    """Registers meetings and assigns the 届出 they report."""
    return has_role(user, *OFFICE)


def can_read_annual_reports(user) -> bool:
    """Downloads the yearly reports (資料3〜6) outside a meeting's page."""
    return has_role(user, *READ_ALL)


# ---------------------------------------------------------------- administration and audit

def can_read_audit(user) -> bool:
    return has_role(user, Role.AUDITOR, *OFFICE, Role.SYSADMIN)


# The records the system administrator keeps: its audit view stops there (it reads no request,
# incident or 届出 through the log: the audit log follows record access).
ADMINISTRATION_RECORDS = ("core.User", "core.OrgUnit", "core.Organ", "core.MunicipalSettings", "mamori.export")


def audit_scope_q(user) -> Q:
    """The audit events ``user`` may read: all for the office and the auditors; for the system
    administrator, those of the organisation and the users; none for anyone else."""
    if has_role(user, Role.AUDITOR, *OFFICE):
        return Q()
    if has_role(user, Role.SYSADMIN):
        return Q(root_model__in=ADMINISTRATION_RECORDS)
    return Q(pk__in=[])


def can_manage_users(user) -> bool:
    return has_role(user, Role.SYSADMIN)


def can_manage_organisation(user) -> bool:
    """The organisation tree: the system administrator, and the office (it maps imported 担当)."""
    return has_role(user, Role.SYSADMIN, *OFFICE)


def can_read_organisation(user) -> bool:
    return has_role(user, Role.SYSADMIN, *READ_ALL)


def require(allowed: bool, message: str = "この操作を行う権限がありません。") -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---------------------------------------------------------------- signing in

def can_enrol_second_factor(user) -> bool:
    """Registers an authenticator app: the roles a municipality asks for a second factor (MAMORI_OTP_REQUIRED_ROLES)."""
    return has_role(user, *settings.MAMORI_OTP_REQUIRED_ROLES)
