"""The 届出 workflow: draft → 課長 approval → office acceptance → a new immutable version."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamori.conftest import version_data
from mamori.core.models import AuditEvent
from mamori.register import services
from mamori.register.models import NotificationKind, NotificationStatus, Program, ProgramVersion
from mamori.register.serialize import prefetch_version, version_to_dict


def current_dict(program):
    program.refresh_from_db()
    return version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=program.current_id)).get())


def draft_change(city, add_item="電話番号", actor=None):
    program = city.programs.teate
    proposed = current_dict(program)
    proposed["groups"][0]["items"].append(add_item)
    return services.notification_create(
        actor=actor or city.users.staff, kind=NotificationKind.CHANGE, program=program, proposed=proposed,
        reason="連絡のため", content=f"「{add_item}」を追加する。", effective_date=datetime.date(2024, 6, 1),
    )


def test_change_accepted_becomes_version_2_and_version_1_is_kept(city):
    n = draft_change(city)
    services.notification_submit(notification=n, actor=city.users.staff)
    services.notification_approve(notification=n, actor=city.users.manager, comment="確認")
    n = services.notification_accept(notification=n, actor=city.users.office)
    program = Program.objects.get(pk=city.programs.teate.pk)
    assert n.status == NotificationStatus.ACCEPTED
    assert program.current.number == 2 and program.current == n.result_version
    assert program.current.effective_from == datetime.date(2024, 6, 1)
    old = program.versions.get(number=1)
    assert [gi.written_name for gi in old.groups.get().items.all()] == ["氏名", "住所", "マイナンバー"]
    assert [gi.written_name for gi in program.current.groups.get().items.all()] == ["氏名", "住所", "マイナンバー", "電話番号"]
    # the flow to 住民基本台帳管理事業 is carried into the new version
    assert program.current.flows.get().program == city.programs.juki
    assert [e.kind for e in n.events.all()] == ["create", "submit", "approve", "accept"]


def test_versions_cannot_be_edited(city):
    version = city.programs.teate.current
    version.name = "改ざん"
    with pytest.raises(ValidationError):
        version.save()


def test_drafter_cannot_accept_even_as_office(city):
    n = draft_change(city)
    services.notification_submit(notification=n, actor=city.users.staff)
    services.notification_approve(notification=n, actor=city.users.manager)
    n.created_by = city.users.office  # the one who drafted is now in the office
    n.save()
    with pytest.raises(PermissionDenied):
        services.notification_accept(notification=n, actor=city.users.office)


@pytest.mark.parametrize("who", ["staff", "other_manager", "council", "auditor", "sysadmin"])
def test_only_the_units_manager_approves(city, who):
    n = draft_change(city)
    services.notification_submit(notification=n, actor=city.users.staff)
    with pytest.raises(PermissionDenied):
        services.notification_approve(notification=n, actor=getattr(city.users, who))


def test_office_cannot_accept_before_the_manager_approves(city):
    n = draft_change(city)
    services.notification_submit(notification=n, actor=city.users.staff)
    with pytest.raises(ValidationError):
        services.notification_accept(notification=n, actor=city.users.office)


def test_department_cannot_draft_for_another_departments_program(city):
    with pytest.raises(PermissionDenied):
        draft_change(city, actor=city.users.other_staff)


def test_return_needs_a_comment_and_allows_resubmission(city):
    n = draft_change(city)
    services.notification_submit(notification=n, actor=city.users.staff)
    services.notification_approve(notification=n, actor=city.users.manager)
    with pytest.raises(ValidationError):
        services.notification_return(notification=n, actor=city.users.office, comment=" ")
    n = services.notification_return(notification=n, actor=city.users.office, comment="保存期間を書いてください")
    assert n.status == NotificationStatus.RETURNED
    n = services.notification_update(notification=n, actor=city.users.staff, reason=n.reason, content=n.content + "保存期間は5年。",
                                     proposed=n.proposed, effective_date=n.effective_date)
    n = services.notification_submit(notification=n, actor=city.users.staff)
    assert n.status == NotificationStatus.SUBMITTED


def test_accepting_a_stale_change_is_refused(city):
    first, second = draft_change(city, "電話番号"), draft_change(city, "性別")
    for n in (first, second):
        services.notification_submit(notification=n, actor=city.users.staff)
        services.notification_approve(notification=n, actor=city.users.manager)
    services.notification_accept(notification=first, actor=city.users.office)
    with pytest.raises(ValidationError, match="別の届出が受理され"):
        services.notification_accept(notification=second, actor=city.users.office)


def test_new_program_and_abolition(city):
    proposed = version_data("こども食堂支援事業", city.units.kyufu)
    n = services.notification_create(actor=city.users.staff, kind=NotificationKind.NEW, proposed=proposed, reason="新設",
                                     content="新規に収集する。", effective_date=datetime.date(2025, 4, 1))
    services.notification_submit(notification=n, actor=city.users.staff)
    services.notification_approve(notification=n, actor=city.users.manager)
    n = services.notification_accept(notification=n, actor=city.users.office)
    program = n.program
    assert program.current.name == "こども食堂支援事業" and program.current.number == 1

    a = services.notification_create(actor=city.users.staff, kind=NotificationKind.ABOLISH, program=program, proposed=None,
                                     reason="事業終了", content="廃止する。", effective_date=datetime.date(2026, 3, 31))
    services.notification_submit(notification=a, actor=city.users.staff)
    services.notification_approve(notification=a, actor=city.users.manager)
    services.notification_accept(notification=a, actor=city.users.office)
    program.refresh_from_db()
    assert program.current.number == 2 and program.current.abolished_on == datetime.date(2026, 3, 31)
    with pytest.raises(ValidationError):
        services.notification_create(actor=city.users.staff, kind=NotificationKind.CHANGE, program=program, proposed=current_dict(program),
                                     reason="x", content="x", effective_date=datetime.date(2026, 4, 1))


def test_unit_outside_the_drafters_scope_is_refused(city):
    proposed = version_data("別課の事業", city.units.nozei)
    with pytest.raises(ValidationError) as exc:
        services.notification_create(actor=city.users.staff, kind=NotificationKind.NEW, proposed=proposed, reason="r", content="c",
                                     effective_date=datetime.date(2025, 4, 1))
    assert "自分の所属" in str(exc.value)


def test_every_step_is_audited_with_before_and_after(city):
    n = draft_change(city)
    services.notification_submit(notification=n, actor=city.users.staff)
    services.notification_approve(notification=n, actor=city.users.manager)
    services.notification_accept(notification=n, actor=city.users.office)
    events = list(AuditEvent.objects.filter(model="register.Notification", object_id=str(n.pk)).order_by("at", "id"))
    assert [(e.action, e.actor_name) for e in events] == [
        ("create", "staff"), ("submit", "staff"), ("approve", "manager"), ("accept", "office")
    ]
    assert events[1].before["status"] == "draft" and events[1].after["status"] == "submitted"
    program_event = AuditEvent.objects.filter(model="register.Program", object_id=str(n.program_id)).first()
    assert program_event.actor_name == "office" and "第2版" in program_event.summary
