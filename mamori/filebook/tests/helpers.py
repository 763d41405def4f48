"""Acting through the register's real workflow: a 届出 drafted, approved and accepted."""
import datetime

from mamori.conftest import version_data
from mamori.filebook import services as filebook_services
from mamori.filebook.models import PersonalFile
from mamori.register import services as register
from mamori.register.models import NotificationKind, ProgramVersion
from mamori.register.serialize import prefetch_version, version_to_dict


def current_dict(program) -> dict:
    program.refresh_from_db()
    return version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=program.current_id)).get())


def accept(city, kind, proposed=None, program=None, effective=datetime.date(2024, 6, 1)):
    """A 届出 of こども未来課 through the workflow: drafted by its staff, approved by its 課長, accepted by the office."""
    n = register.notification_create(actor=city.users.staff, kind=kind, program=program, proposed=proposed, reason="理由", content="内容",
                                     effective_date=effective)
    register.notification_submit(notification=n, actor=city.users.staff)
    register.notification_approve(notification=n, actor=city.users.manager)
    return register.notification_accept(notification=n, actor=city.users.office)


def new_program(city, name="放課後児童クラブ運営事業", persons=1500, groups=(("児童・保護者", ("氏名", "住所", "電話番号")),), **extra):
    data = version_data(name, city.units.kyufu, groups=groups, person_count=persons, **extra)
    n = accept(city, NotificationKind.NEW, data)
    return n.program


def change(city, program, edit, effective=datetime.date(2024, 7, 1)):
    data = current_dict(program)
    edit(data)
    return accept(city, NotificationKind.CHANGE, data, program=program, effective=effective)


def publish_entries(city, deleted_name: str = "敬老祝金支給事業"):
    """Three entries: one changed (a 経常的提供先 added), one deleted (its count fell below the threshold), one manual;
    returns the files by name. ``deleted_name``: the deleted program's name (a formula, to test open data)."""
    a = new_program(city, groups=(("児童・保護者", ("氏名", "住所", "電話番号", "勤務先、通学先")),), purpose="放課後の居場所を提供するため。\n入室を決定するため。")
    fa = PersonalFile.objects.get(programs=a)
    filebook_services.revision_publish(file=fa, actor=city.users.office)
    change(city, a, lambda d: d["flows"].append({"kind": "provide_body", "program": None, "party": "埼玉県", "purpose": "", "items": ["氏名"]}))
    filebook_services.revision_publish(file=fa, actor=city.users.office)
    b = new_program(city, name=deleted_name, persons=2000)
    fb = PersonalFile.objects.get(programs=b)
    filebook_services.revision_publish(file=fb, actor=city.users.office)
    change(city, b, lambda d: d.update(person_count=10))
    filebook_services.revision_publish(file=fb, actor=city.users.office)
    c = new_program(city, name="紙台帳事業", computerized=False, manual=True)
    fc = PersonalFile.objects.get(programs=c)
    filebook_services.revision_publish(file=fc, actor=city.users.office)
    return {"changed": fa, "deleted": fb, "manual": fc}
