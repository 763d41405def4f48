"""Kept as the law says: an accepted 届出 drafts the entry at once, the office publishes it, the public history
tells what changed (施行令第20条)."""
import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamori.core import hooks
from mamori.core.models import AuditAction, AuditEvent
from mamori.filebook import entry, selectors, services
from mamori.filebook.models import Assessment, PersonalFile, RevisionKind, RevisionStatus
from mamori.filebook.tests.helpers import accept, change, current_dict, new_program
from mamori.register.models import Notification, NotificationKind, NotificationStatus


def file_of(program) -> PersonalFile:
    return PersonalFile.objects.get(programs=program)


def publish(file, city):
    return services.revision_publish(file=file, actor=city.users.office)


def test_an_accepted_new_program_drafts_its_entry_at_once(city):
    program = new_program(city)
    file = file_of(program)
    waiting = services.pending(file)
    assert file.assessment == Assessment.LISTED and "1,500人" in file.assessment_reason
    assert waiting.kind == RevisionKind.CREATE and waiting.status == RevisionStatus.DRAFTED
    assert waiting.notification.program == program and "の受理" in waiting.cause
    assert waiting.due_on > datetime.date.today() - datetime.timedelta(days=1)
    assert selectors.public_entries() == []  # nothing reaches the public before the office publishes it

    revision = publish(file, city)
    assert revision.number == 1 and revision.changes == ["個人情報ファイル簿に掲載しました。"]
    [e] = selectors.public_entries()
    assert e.code == file.code and e.name == "放課後児童クラブ運営事業ファイル"
    assert e.organ == "朝霞市長" and e.units == ("こども・健康部 こども未来課 こども給付係",)
    assert e.items == ("氏名", "住所", "電話番号") and e.scope == "児童・保護者"
    assert e.request_office == "総務部 総務課 情報公開係（朝霞市役所本庁舎）" and e.kind == "computerized"
    assert e.created_on == datetime.date.today() and e.changed_on is None and e.deleted_on is None
    file.refresh_from_db()
    assert file.confirmed and file.decided_by == city.users.office  # publishing confirmed the rule's assessment
    event = AuditEvent.objects.get(action=AuditAction.PUBLISH)
    assert event.root_model == "filebook.PersonalFile" and event.root_id == str(file.pk)


def test_a_change_is_drafted_and_its_public_history_says_what_changed(city):
    program = new_program(city)
    file = file_of(program)
    publish(file, city)
    change(city, program, lambda d: (d["groups"][0]["items"].append("電子メールアドレス"),
                                     d["flows"].append({"kind": "provide_body", "program": None, "party": "埼玉県", "purpose": "報告", "items": ["氏名"]})))
    waiting = services.pending(file)
    assert waiting.kind == RevisionKind.CHANGE
    publish(file, city)
    [e] = selectors.public_entries()
    assert "電子メールアドレス" in e.items and e.recipients == ("埼玉県",) and e.changed_on == datetime.date.today()
    lines = e.history[-1].changes
    assert "記録項目：「電子メールアドレス」を追加" in lines
    assert "記録情報の経常的提供先：「埼玉県」を追加" in lines
    assert [c.kind_label for c in e.history] == ["作成", "変更"]


def test_a_change_that_leaves_the_entry_as_published_drafts_nothing(city):
    program = new_program(city)
    file = file_of(program)
    publish(file, city)
    change(city, program, lambda d: d.update(legal_basis="児童福祉法", retention="10年"))  # not in the ファイル簿
    assert services.pending(file) is None


def test_a_count_falling_below_the_threshold_deletes_the_entry(city):
    program = new_program(city, persons=1000)
    file = file_of(program)
    publish(file, city)
    change(city, program, lambda d: d.update(person_count=999))
    waiting = services.pending(file)
    assert waiting.kind == RevisionKind.DELETE and "政令で定める数に満たなくなった" in waiting.reason
    assert waiting.due_on > services.pending(file).drafted_at.date()  # 遅滞なく: the longer setting
    publish(file, city)
    [e] = selectors.public_entries()
    assert e.deleted_on == datetime.date.today() and e.items  # the page keeps the entry as it was, and its history
    assert selectors.public_entries(include_deleted=False) == []
    assert e.history[-1].changes[0].startswith("記載を消除しました")


def test_an_abolished_program_deletes_the_entry(city):
    program = new_program(city)
    file = file_of(program)
    publish(file, city)
    accept(city, NotificationKind.ABOLISH, None, program=program, effective=datetime.date(2025, 3, 31))
    file.refresh_from_db()
    assert file.assessment == Assessment.NOT_HELD
    assert "廃止" in services.pending(file).reason


def test_a_small_program_gets_a_file_the_office_confirms_as_exempt(city):
    program = new_program(city, persons=300)
    file = file_of(program)
    assert file.assessment == Assessment.EXEMPT and file.assessment_ground == "74-2-9"
    assert services.pending(file) is None and not file.confirmed
    assert [e.title for e in selectors.worklist(city.users.office)][-1] == "判定の確認が必要な個人情報ファイル"
    services.file_decide(file=file, actor=city.users.office)
    file.refresh_from_db()
    assert file.confirmed and AuditEvent.objects.filter(action=AuditAction.CONFIRM, object_id=str(file.pk)).exists()
    assert "判定の確認が必要な個人情報ファイル" not in [e.title for e in selectors.worklist(city.users.office)]


def test_the_office_claims_a_staff_file_exemption_and_the_published_entry_is_deleted(city):
    program = new_program(city, name="会計年度任用職員管理事業", groups=(("職員", ("氏名", "住所", "給与")),))
    file = file_of(program)
    assert any("第74条第2項第3号" in h for h in entry.for_file(file).assessment.hints)  # a hint, never applied by itself
    publish(file, city)
    with pytest.raises(ValidationError) as refused:
        services.file_decide(file=file, actor=city.users.office, exemption="74-2-3")
    assert "exemption_note" in refused.value.message_dict
    services.file_decide(file=file, actor=city.users.office, exemption="74-2-3", exemption_note="職員の任用・給与のみを記録する。")
    waiting = services.pending(file)
    assert waiting.kind == RevisionKind.DELETE and "第74条第2項第3号" in waiting.reason


def test_a_drafted_change_undone_before_publication_is_withdrawn(city):
    program = new_program(city)
    file = file_of(program)
    publish(file, city)
    change(city, program, lambda d: d["groups"][0]["items"].append("電子メールアドレス"))
    first = services.pending(file)
    change(city, program, lambda d: d["groups"][0]["items"].remove("電子メールアドレス"))
    first.refresh_from_db()
    assert first.status == RevisionStatus.SUPERSEDED and first.closed_at and services.pending(file) is None


def test_a_second_change_keeps_the_first_draft_and_its_due_date(city):
    program = new_program(city)
    file = file_of(program)
    publish(file, city)
    change(city, program, lambda d: d["groups"][0]["items"].append("電子メールアドレス"))
    first = services.pending(file)
    change(city, program, lambda d: d["groups"][0]["items"].append("ＦＡＸ番号"))
    assert services.pending(file).pk == first.pk
    publish(file, city)
    assert "「電子メールアドレス」「ＦＡＸ番号」を追加" in selectors.public_entries()[0].history[-1].changes[0]


def test_what_the_page_showed_is_what_is_published(city):
    program = new_program(city)
    file = file_of(program)
    shown = entry.for_file(file).digest
    change(city, program, lambda d: d["groups"][0]["items"].append("電子メールアドレス"))
    with pytest.raises(ValidationError, match="画面を開いた後に変わりました"):
        services.revision_publish(file=file, actor=city.users.office, shown=shown)
    assert services.pending(file).status == RevisionStatus.DRAFTED


@pytest.mark.parametrize("role", ["staff", "manager", "auditor", "council"])
def test_only_the_office_publishes(city, role):
    file = file_of(new_program(city))
    with pytest.raises(PermissionDenied):
        services.revision_publish(file=file, actor=getattr(city.users, role))
    with pytest.raises(PermissionDenied):
        services.file_decide(file=file, actor=getattr(city.users, role))


def test_a_listener_that_fails_rolls_the_acceptance_back(city):
    def broken(event):
        raise ValidationError("ファイル簿の起案に失敗")

    hooks.on_version_accepted(broken)
    try:
        with pytest.raises(ValidationError):
            new_program(city)
    finally:
        hooks.VERSION_ACCEPTED.remove(broken)

    assert Notification.objects.get().status == NotificationStatus.APPROVED and not PersonalFile.objects.exists()


def test_a_file_over_several_programs_needs_its_own_count(city):
    a = new_program(city, name="甲事業", persons=600)
    b = new_program(city, name="乙事業", persons=700)
    file = services.file_create(programs=[a, b], actor=city.users.office, name="甲乙共通ファイル")
    assert file.assessment == Assessment.UNKNOWN
    with pytest.raises(ValidationError) as refused:
        services.file_decide(file=file, actor=city.users.office)
    assert "person_count" in refused.value.message_dict
    services.file_decide(file=file, actor=city.users.office, person_count=1100)
    file.refresh_from_db()
    assert file.assessment == Assessment.LISTED and services.pending(file).kind == RevisionKind.CREATE


def test_the_public_entry_holds_only_the_public_fields(city):
    program = new_program(city)
    file = file_of(program)
    services.file_update(file=file, actor=city.users.office, programs=[program], note="庁内メモ：担当者 子育 太郎", name="")
    publish(file, city)
    [e] = selectors.public_entries()
    assert set(selectors.public_entry_dict(e)) == {
        "code", "name", "organ", "units", "purpose", "items", "scope", "collection", "sensitive", "ordinance_sensitive", "recipients",
        "request_office", "special_procedures", "kind", "manual_counterpart", "created_on", "changed_on", "deleted_on", "history"}
    values = [list(selectors.public_entry_dict(x).values()) for x in selectors.public_entries()]
    text = json.dumps(values, ensure_ascii=False) + repr(selectors.public_history())
    for internal in ("庁内メモ", "office", "staff", "1500", "1,500", "届出", file.assessment_reason):
        assert internal not in text


def test_the_entry_is_computed_from_the_register_not_copied(city):
    program = new_program(city)
    file = file_of(program)
    before = entry.for_file(file).content
    data = current_dict(program)
    assert before["purpose"] == data["purpose"]
    change(city, program, lambda d: d.update(purpose="新しい目的のため。"))
    assert entry.for_file(file).content["purpose"] == "新しい目的のため。"
    file.refresh_from_db()
    assert (file.name, file.scope_text, file.collection_text) == ("", "", "")  # the file stores none of it


def test_a_program_abolished_from_a_shared_file_leaves_the_others_entry(city):
    a = new_program(city, name="甲事業", persons=1500, groups=(("利用者", ("氏名", "住所")),))
    b = new_program(city, name="乙事業", persons=1500, groups=(("利用者", ("氏名", "電話番号")),))
    shared = services.file_create(programs=[a, b], actor=city.users.office, name="甲乙共通ファイル")
    services.revision_publish(file=shared, actor=city.users.office)
    assert selectors.public_entries()[-1].items == ("氏名", "住所", "電話番号")
    accept(city, NotificationKind.ABOLISH, None, program=b, effective=datetime.date(2025, 3, 31))
    waiting = services.pending(shared)
    assert waiting.kind == RevisionKind.CHANGE  # still held through 甲事業: amended, not deleted
    services.revision_publish(file=shared, actor=city.users.office)
    assert selectors.public_entries()[-1].items == ("氏名", "住所")
