"""Corrections after the fact (issue 12): a contract (a 再委託's 書面承認日 added later), a certification, the 別紙4
answers, the 第14条 record — each through its service, audited with before/after in the same transaction,
refused when stale or not allowed; the warnings recompute."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamori.core.concurrency import StaleEdit, token_for
from mamori.core.models import AuditEvent
from mamori.outsourcing import selectors, services
from mamori.outsourcing.models import Certification, Contract, Disposal, Finding, Inspection
from mamori.outsourcing.rules import CHECKLIST
from mamori.outsourcing.tests.test_outsourcing import setup  # noqa: F401  (fixture)

D = datetime.date
TODAY = D(2024, 6, 1)


def sub_fields(city, sub_company, main, **over) -> dict:
    return dict(program=city.programs.teate, contractor=sub_company, kind="sub", parent=main, title="データ入力",
                starts_on=D(2024, 5, 1), ends_on=D(2025, 3, 31)) | over


@pytest.fixture
def sub(city, setup):  # noqa: F811
    office, _, sub_company, main = setup
    return services.contract_save(actor=office, **sub_fields(city, sub_company, main))


def events(obj, action=None):
    qs = AuditEvent.objects.filter(model=obj._meta.label, object_id=str(obj.pk)).order_by("id")
    return qs.filter(action=action) if action else qs


def test_adding_the_approval_later_clears_the_warning_and_is_audited(city, setup, sub):  # noqa: F811
    office, _, sub_company, main = setup
    assert list(selectors.unapproved_subcontracts(office)) == [sub]
    assert [e.title for e in selectors.entries(office, TODAY)][0].startswith("書面承認の記録がない再委託")
    seen = token_for(sub)
    services.contract_save(actor=city.users.staff, contract=sub, base_version=seen, **sub_fields(city, sub_company, main, approved_on=D(2024, 4, 20)))
    assert list(selectors.unapproved_subcontracts(office)) == []
    assert not [e for e in selectors.entries(office, TODAY) if e.title.startswith("書面承認")]
    event = events(sub, "update").get()
    assert (event.before["approved_on"], event.after["approved_on"]) == (None, "2024-04-20")
    assert event.summary == "訂正：再委託の書面承認日（特記事項第10条）" and event.actor == city.users.staff
    assert event.root_model == "outsourcing.Contract" and event.root_id == str(sub.pk)


def test_a_stale_correction_is_refused_and_changes_nothing(city, setup, sub):  # noqa: F811
    office, _, sub_company, main = setup
    seen = token_for(sub)
    services.contract_save(actor=office, contract=sub, base_version=seen, **sub_fields(city, sub_company, main, title="データ入力（訂正）"))
    with pytest.raises(StaleEdit) as refused:
        services.contract_save(actor=city.users.staff, contract=sub, base_version=seen, **sub_fields(city, sub_company, main, approved_on=D(2024, 4, 20)))
    assert "契約件名「データ入力」→「データ入力（訂正）」" in refused.value.text()
    sub.refresh_from_db()
    assert sub.approved_on is None and events(sub, "update").count() == 1


@pytest.mark.parametrize("role", ["other_staff", "auditor", "council"])
def test_only_who_may_register_may_correct(city, setup, sub, role):  # noqa: F811
    _, _, sub_company, main = setup
    with pytest.raises(PermissionDenied):
        services.contract_save(actor=getattr(city.users, role), contract=sub, base_version=token_for(sub),
                               **sub_fields(city, sub_company, main, approved_on=D(2024, 4, 20)))
    sub.refresh_from_db()
    assert sub.approved_on is None and not events(sub, "update").exists()


def test_a_department_cannot_move_a_contract_to_a_program_it_does_not_run(city, setup, sub):  # noqa: F811
    _, _, sub_company, main = setup
    with pytest.raises(PermissionDenied):
        services.contract_save(actor=city.users.staff, contract=main, base_version=token_for(main), program=city.programs.juki, contractor=main.contractor,
                               kind="outsourcing", title=main.title, starts_on=main.starts_on, ends_on=main.ends_on)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "lease"}, "kind", "この契約の下にある再委託「データ入力」と合わなくなります"),  # the sub beneath needs an 委託 or 指定管理
        ({"ends_on": D(2024, 3, 1)}, "ends_on", "契約期間の終了（令和6年3月1日）が開始（令和6年4月1日）より前です。"),
        ({"approved_on": D(2024, 4, 20)}, "approved_on", "書面承認日は再委託・再々委託のときだけ記録します。"),
    ],
)
def test_a_correction_that_breaks_the_rules_is_refused_beside_its_field(city, setup, sub, change, field, message):  # noqa: F811
    office, acme, _, main = setup
    fields = dict(program=city.programs.teate, contractor=acme, kind="outsourcing", title=main.title, starts_on=main.starts_on, ends_on=main.ends_on,
                  items=main.items) | change
    with pytest.raises(ValidationError) as refused:
        services.contract_save(actor=office, contract=main, base_version=token_for(main), **fields)
    assert any(message in m for m in refused.value.message_dict[field])
    assert Contract.objects.get(pk=main.pk).kind == "outsourcing" and not events(main, "update").exists()


def test_an_approval_before_the_parent_starts_is_refused_in_wareki(city, setup, sub):  # noqa: F811
    office, _, sub_company, main = setup
    with pytest.raises(ValidationError, match=r"再委託の承認日（令和6年3月1日）が元の契約の開始（令和6年4月1日）より前です。"):
        services.contract_save(actor=office, contract=sub, base_version=token_for(sub), **sub_fields(city, sub_company, main, approved_on=D(2024, 3, 1)))


def test_certification_correction(city, setup):  # noqa: F811
    office, acme, _, _ = setup
    cert = services.certification_add(actor=office, contractor=acme, kind="pmark", number="P-1", expires_on=D(2024, 6, 30), issued_on=D(2022, 7, 1))
    seen = token_for(cert)
    with pytest.raises(PermissionDenied):
        services.certification_update(actor=city.users.staff, certification=cert, kind="pmark", number="P-1", expires_on=D(2026, 6, 30), base_version=seen)
    with pytest.raises(ValidationError, match="有効期限（令和4年6月30日）が取得日（令和4年7月1日）より前です"):
        services.certification_update(actor=office, certification=cert, kind="pmark", expires_on=D(2022, 6, 30), issued_on=D(2022, 7, 1), base_version=seen)
    services.certification_update(actor=office, certification=cert, kind="pmark", number="P-1", expires_on=D(2026, 6, 30), issued_on=D(2022, 7, 1), base_version=seen)
    event = events(cert, "update").get()
    assert (event.before["expires_on"], event.after["expires_on"]) == ("2024-06-30", "2026-06-30")
    assert event.root_model == "outsourcing.Contractor" and "有効期限" in event.summary
    with pytest.raises(StaleEdit):
        services.certification_update(actor=office, certification=cert, kind="isms", expires_on=D(2026, 6, 30), base_version=seen)
    assert Certification.objects.get(pk=cert.pk).kind == "pmark"


def answers(**special) -> dict:
    out = {str(n): {"result": "ok", "comment": ""} for n, *_ in CHECKLIST}
    for number, value in special.items():
        out[number.lstrip("i")] = value
    return out


def test_correcting_the_answers_follows_the_findings(city, setup):  # noqa: F811
    office, _, _, main = setup
    inspection = services.inspection_save(actor=office, contract=main, fiscal_year=2024, method="onsite", inspected_on=D(2024, 10, 1),
                                          results=answers(i4={"result": "ng", "comment": "指定外の場所で作業"}, i5={"result": "ng", "comment": "施錠なし"}))
    f4, f5 = inspection.findings.order_by("item")
    services.finding_update(actor=office, finding=f5, action="施錠の点検簿を作る", base_version=token_for(f5))
    inspection.refresh_from_db()
    seen = token_for(inspection)
    # 4 and 5 were typed as 否 by mistake: both back to 適; 3 is 否 now
    services.inspection_save(actor=office, contract=main, inspection=inspection, base_version=seen, fiscal_year=2024, method="onsite",
                             inspected_on=D(2024, 10, 1), results=answers(i3={"result": "ng", "comment": "研修の記録なし"}))
    assert not Finding.objects.filter(pk=f4.pk).exists()  # nothing recorded on it: withdrawn
    assert Finding.objects.filter(pk=f5.pk).exists()  # its corrective action stays
    assert inspection.findings.get(item=3).finding == "研修の記録なし"
    event = events(inspection, "update").get()
    assert event.summary == "別紙4の訂正（令和6年度）：点検項目3（適→否）、点検項目4（否→適）、点検項目5（否→適）"
    withdrawn = AuditEvent.objects.get(model="outsourcing.Finding", object_id=str(f4.pk), action="delete")
    assert withdrawn.root_id == str(main.pk) and withdrawn.before["finding"] == "指定外の場所で作業"
    with pytest.raises(StaleEdit):
        services.inspection_save(actor=office, contract=main, inspection=inspection, base_version=seen, fiscal_year=2024, method="document",
                                 inspected_on=D(2024, 10, 1), results=answers())
    assert Inspection.objects.get(pk=inspection.pk).method == "onsite"


def test_a_second_inspection_of_the_same_year_is_refused_not_overwritten(city, setup):  # noqa: F811
    office, _, _, main = setup
    services.inspection_save(actor=office, contract=main, fiscal_year=2024, method="onsite", inspected_on=D(2024, 10, 1), results=answers())
    with pytest.raises(ValidationError, match="令和6年度の検査はすでに記録されています（令和6年10月1日 実地検査）"):
        services.inspection_save(actor=office, contract=main, fiscal_year=2024, method="document", inspected_on=D(2024, 11, 1), results=answers())
    assert main.inspections.get().method == "onsite"


def test_an_inspection_by_another_department_is_refused(city, setup):  # noqa: F811
    _, _, _, main = setup
    with pytest.raises(PermissionDenied):
        services.inspection_save(actor=city.users.other_staff, contract=main, fiscal_year=2024, method="onsite", inspected_on=D(2024, 10, 1), results=answers())
    assert not Inspection.objects.exists()


def test_disposal_correction_needs_the_version_it_was_based_on(city, setup):  # noqa: F811
    office, _, _, main = setup
    new = token_for(None, Disposal)
    services.disposal_record(actor=office, contract=main, method="erase", done_on=D(2025, 3, 31), person="佐藤", base_version=new)
    with pytest.raises(StaleEdit):  # a second page opened before the first record: refused, not overwritten
        services.disposal_record(actor=city.users.staff, contract=main, method="return", done_on=D(2025, 3, 30), person="鈴木", base_version=new)
    disposal = Disposal.objects.get()
    services.disposal_record(actor=city.users.staff, contract=main, method="erase", done_on=D(2025, 3, 31), person="佐藤",
                             report_received_on=D(2025, 4, 3), base_version=token_for(disposal))
    event = events(disposal, "update").get()
    assert event.after["report_received_on"] == "2025-04-03" and "書面報告の受領日" in event.summary
