"""Separation of duties for 届出 (issue 11, B3): drafter ≠ approver ≠ acceptor (register.rules)."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mamori.conftest import make_user
from mamori.core import integrity
from mamori.core.models import AuditEvent, Role
from mamori.register import rules, selectors, services
from mamori.register.models import IngestSource, Notification, NotificationStatus
from mamori.register.tests.test_workflow import draft_change

S = NotificationStatus


def _standing(**kw):
    base = dict(drafter=False, approver=False, reviewer=False, drafted_it=False, approved_it=False)
    return rules.Standing(**(base | kw))


@pytest.mark.parametrize("action, status, who, refused_with", [
    ("approve", S.SUBMITTED, _standing(drafter=True, approver=True), None),
    ("approve", S.SUBMITTED, _standing(drafter=True, approver=True, drafted_it=True), rules.OWN_APPROVAL),
    ("accept", S.APPROVED, _standing(reviewer=True), None),
    ("accept", S.APPROVED, _standing(reviewer=True, drafted_it=True), rules.OWN_ACCEPTANCE),
    ("accept", S.APPROVED, _standing(reviewer=True, approved_it=True), rules.APPROVER_ACCEPTANCE),
    ("accept", S.IMPORTED, _standing(reviewer=True, drafted_it=True), None),  # drafted and approved on paper
    ("submit", S.DRAFT, _standing(drafter=True, approver=True, drafted_it=True), None),  # a 課長 may draft and submit
])
def test_B3_separation_of_duties_table(action, status, who, refused_with):
    refused = rules.refusal(action, status, who)
    assert (refused[1] if refused else None) == refused_with


@pytest.mark.parametrize("imported, expected", [(False, ["approved_by", "accepted_by"]), (True, [])])
def test_B3_duty_conflicts_for_recorded_steps(imported, expected):
    found = rules.duty_conflicts(drafters={"kacho"}, approver="kacho", acceptor="kacho", imported=imported)
    assert [f for f, _ in found] == expected


def test_B3_manager_cannot_approve_own_notification(client, city):
    manager = city.users.manager
    n = draft_change(city, actor=manager)
    services.notification_submit(notification=n, actor=manager)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="自分が作成・修正・提出した届出は承認できません"):
        services.notification_approve(notification=n, actor=manager)
    n.refresh_from_db()
    assert n.status == S.SUBMITTED and n.approved_by is None and AuditEvent.objects.count() == audit_before
    # the page hides the button and says why
    client.force_login(manager)
    page = client.get(reverse("register:notification_detail", args=[n.number])).content.decode()
    assert "承認して保護担当へ" not in page and rules.OWN_APPROVAL in page
    # a posted approve is refused by the service, the 届出 stays where it was
    client.post(reverse("register:notification_action", args=[n.number, "approve"]))
    n.refresh_from_db()
    assert n.status == S.SUBMITTED
    # the 部長 above approves; the office accepts
    bucho = make_user("bucho", Role.DEPT_MANAGER, city.units.mirai.parent)
    assert "approve" in selectors.notification_actions(bucho, n)
    services.notification_approve(notification=n, actor=bucho)
    n = services.notification_accept(notification=n, actor=city.users.office)
    assert n.status == S.ACCEPTED


def test_B3_manager_who_edited_cannot_approve(city):
    manager = city.users.manager
    n = draft_change(city)  # drafted by staff
    services.notification_update(notification=n, actor=manager, reason=n.reason, content=n.content + "（課長が修正）",
                                 proposed=n.proposed, effective_date=n.effective_date)
    services.notification_submit(notification=n, actor=city.users.staff)
    assert "approve" not in selectors.notification_actions(manager, n)
    with pytest.raises(PermissionDenied):
        services.notification_approve(notification=n, actor=manager)
    other = make_user("kacho2", Role.DEPT_MANAGER, city.units.mirai)  # another 課長 of the unit
    services.notification_approve(notification=n, actor=other)
    n.refresh_from_db()
    assert n.status == S.APPROVED


def test_B3_approver_cannot_accept(client, city):
    n = draft_change(city)
    services.notification_submit(notification=n, actor=city.users.staff)
    services.notification_approve(notification=n, actor=city.users.manager)
    office = city.users.office
    n.refresh_from_db()
    n.approved_by = office  # the 課長 who approved has since moved to the office
    n.save()
    with pytest.raises(PermissionDenied, match="承認した届出は受理できません"):
        services.notification_accept(notification=n, actor=office)
    client.force_login(office)
    page = client.get(reverse("register:notification_detail", args=[n.number])).content.decode()
    assert ">受理</button>" not in page and rules.APPROVER_ACCEPTANCE in page
    colleague = make_user("office2", Role.PRIVACY_OFFICE, city.units.joho)
    assert services.notification_accept(notification=n, actor=colleague).status == S.ACCEPTED


def test_B3_a_source_document_does_not_exempt_an_approval_recorded_here(city):
    """Review finding: import/restore skipped the duty rules for any 届出 naming an ingest source. Only one with no
    approver in Mamori (drafted and approved on paper) is exempt; a self-approval recorded here is a violation."""
    n = draft_change(city)
    source = IngestSource.objects.create(file_name="資料1.pdf", sha256="0" * 64, size=1, text="x")
    Notification.objects.filter(pk=n.pk).update(source=source, status=NotificationStatus.ACCEPTED, approved_by=city.users.staff,
                                                accepted_by=city.users.office)
    broken = [v for v in integrity.run_checks() if v.table == "register.notification"]
    assert [v.field for v in broken] == ["approved_by"], broken
    Notification.objects.filter(pk=n.pk).update(approved_by=None)  # accepted from paper, as imported_accept records it
    assert not [v for v in integrity.run_checks() if v.table == "register.notification"]
