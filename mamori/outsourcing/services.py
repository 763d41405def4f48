"""Every write for contractor supervision, validated against the special provisions and audited.
The office, and the department that runs the program, may write."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from mamori.core import audit, concurrency
from mamori.core.models import AuditAction
from mamori.core.permissions import can_manage_contract, can_supervise_contractors, require
from mamori.outsourcing import rules
from mamori.outsourcing.models import Certification, Contract, ContractIncident, Contractor, Disposal, Finding, FormReceipt, Inspection


def can_manage(user, program=None) -> bool:
    """The office, or the department that runs the program (core.permissions.can_manage_contract)."""
    return can_manage_contract(user, program.current.unit if program is not None and program.current_id else None)


def _save(obj, actor, before=None, summary="", verb=None, root=None):
    """Validate, save and audit; ``root`` is the contract or contractor the record belongs to."""
    obj.full_clean()
    obj.save()
    audit.record(actor=actor, action=verb or (AuditAction.UPDATE if before else AuditAction.CREATE), obj=obj, before=before,
                 after=audit.snapshot(obj), summary=summary, root=root)
    return obj


@transaction.atomic
def contractor_save(*, actor, contractor: Contractor | None = None, name: str, corporate_number: str = "", address: str = "", contact: str = "", note: str = "",
                    base_version: str | None = None) -> Contractor:
    require(can_supervise_contractors(actor) or actor is None, "委託事業者を登録できるのは個人情報保護担当です。")
    if contractor is not None:
        contractor = Contractor.objects.select_for_update().get(pk=contractor.pk)
        concurrency.check(contractor, base_version, subject=f"委託事業者「{contractor}」")
    number = rules.normalize_corporate_number(corporate_number)
    if number:
        error = rules.corporate_number_error(number)
        if error:
            raise ValidationError({"corporate_number": error})
        clash = Contractor.objects.filter(corporate_number=number).exclude(pk=getattr(contractor, "pk", None)).first()
        if clash:
            raise ValidationError({"corporate_number": f"この法人番号は「{clash}」として登録済みです。"})
    before = audit.snapshot(contractor) if contractor else None
    contractor = contractor or Contractor()
    contractor.name, contractor.corporate_number, contractor.address, contractor.contact, contractor.note = name.strip(), number, address, contact, note
    return _save(contractor, actor, before)


@transaction.atomic
def certification_add(*, actor, contractor: Contractor, kind: str, expires_on: datetime.date, number: str = "", scope: str = "", issued_on=None) -> Certification:
    require(can_supervise_contractors(actor) or actor is None, "認証を登録できるのは個人情報保護担当です。")
    if issued_on and expires_on < issued_on:
        raise ValidationError({"expires_on": "有効期限が取得日より前です。"})
    return _save(Certification(contractor=contractor, kind=kind, number=number, scope=scope, issued_on=issued_on, expires_on=expires_on), actor,
                 summary=f"{contractor}の認証", root=contractor)


@transaction.atomic
def contract_save(*, actor, program, contractor: Contractor, kind: str, title: str, starts_on: datetime.date, ends_on: datetime.date,
                  parent: Contract | None = None, approved_on=None, work: str = "", items=(), contract: Contract | None = None) -> Contract:
    require(actor is None or can_manage(actor, program), "この事務事業の契約を登録する権限がありません。")
    errors = rules.chain_errors(kind, parent.kind if parent else None, parent is None or parent.program_id == program.pk)
    if rules.period_error(starts_on, ends_on):
        errors.append(rules.period_error(starts_on, ends_on))
    if parent is not None and contract is not None and parent.pk == contract.pk:
        errors.append("自分自身を元の契約にはできません。")
    if approved_on and parent and approved_on < parent.starts_on:
        errors.append("再委託の承認日が元の契約の開始より前です。")
    if errors:
        raise ValidationError(errors)
    known = set()
    if program.current_id:
        known = {gi.written_name for g in program.current.groups.all() for gi in g.items.all()}
    unknown = [i for i in items if i not in known]
    if unknown:
        raise ValidationError({"items": "この事務事業の記録項目にない項目があります：" + "、".join(unknown) + "。管理簿の項目から選んでください。"})
    before = audit.snapshot(contract) if contract else None
    contract = contract or Contract()
    for key, value in dict(program=program, contractor=contractor, kind=kind, title=title, starts_on=starts_on, ends_on=ends_on,
                           parent=parent, approved_on=approved_on, work=work, items=list(items)).items():
        setattr(contract, key, value)
    return _save(contract, actor, before)


@transaction.atomic
def form_receive(*, actor, contract: Contract, form: str, received_on: datetime.date, details: dict | None = None) -> FormReceipt:
    require(actor is None or can_manage(actor, contract.program))
    existing = FormReceipt.objects.filter(contract=contract, form=form).first()
    before = audit.snapshot(existing) if existing else None
    receipt = existing or FormReceipt(contract=contract, form=form)
    receipt.received_on, receipt.details = received_on, details or {}
    return _save(receipt, actor, before, summary=rules.FORMS[form], root=contract)


@transaction.atomic
def inspection_save(*, actor, contract: Contract, fiscal_year: int, method: str, inspected_on: datetime.date, results: dict,
                    city_inspectors: str = "", contractor_staff: str = "", handled_info: str = "") -> Inspection:
    require(actor is None or can_manage(actor, contract.program), "この契約の検査を記録する権限がありません。")
    errors = []
    if method in ("onsite", "document"):
        errors += rules.checklist_errors(results)
    if inspected_on < contract.starts_on:
        errors.append("検査実施日が契約の開始より前です。")
    if errors:
        raise ValidationError(errors)
    existing = Inspection.objects.filter(contract=contract, fiscal_year=fiscal_year).first()
    before = audit.snapshot(existing) if existing else None
    inspection = existing or Inspection(contract=contract, fiscal_year=fiscal_year)
    for key, value in dict(method=method, inspected_on=inspected_on, results=results, city_inspectors=city_inspectors,
                           contractor_staff=contractor_staff, handled_info=handled_info).items():
        setattr(inspection, key, value)
    inspection = _save(inspection, actor, before, summary=f"{rules.METHODS[method]}（{fiscal_year}年度）", verb=AuditAction.INSPECT, root=contract)
    # every 否 opens a finding to follow up (kept if already there)
    for number, entry in results.items():
        if entry.get("result") == "ng" and not inspection.findings.filter(item=int(number)).exists():
            Finding.objects.create(inspection=inspection, item=int(number), finding=entry.get("comment", ""))
    return inspection


@transaction.atomic
def finding_update(*, actor, finding: Finding, action: str, due_on=None, done_on=None, base_version: str | None = None) -> Finding:
    require(can_manage(actor, finding.inspection.contract.program))
    finding = Finding.objects.select_for_update(of=("self",)).select_related("inspection__contract__program").get(pk=finding.pk)
    concurrency.check(finding, base_version, subject=f"指摘事項（点検項目{finding.item}）")
    if done_on and done_on < finding.inspection.inspected_on:
        raise ValidationError({"done_on": "是正確認日が検査実施日より前です。"})
    before = audit.snapshot(finding)
    finding.action, finding.due_on, finding.done_on = action, due_on, done_on
    return _save(finding, actor, before, summary="是正措置", root=finding.inspection.contract)


@transaction.atomic
def disposal_record(*, actor, contract: Contract, method: str, done_on: datetime.date, person: str, detail: str = "", report_received_on=None) -> Disposal:
    require(actor is None or can_manage(actor, contract.program), "この契約の返還・廃棄を記録する権限がありません。")
    errors = {}
    if done_on < contract.starts_on:
        errors["done_on"] = f"返還・廃棄の日（{done_on}）が契約の開始（{contract.starts_on}）より前です。日付を確かめてください。"
    if report_received_on and report_received_on < done_on:
        errors["report_received_on"] = "書面報告の受領日が返還・廃棄の日より前です。"
    if not (person or "").strip():
        errors["person"] = "担当者名を入力してください（特記事項第14条第4項）。"
    if errors:
        raise ValidationError(errors)
    existing = Disposal.objects.filter(contract=contract).first()
    before = audit.snapshot(existing) if existing else None
    disposal = existing or Disposal(contract=contract)
    disposal.method, disposal.done_on, disposal.person, disposal.detail, disposal.report_received_on = method, done_on, person.strip(), detail, report_received_on
    return _save(disposal, actor, before, summary="返還・廃棄（第14条）", verb=AuditAction.DISPOSE, root=contract)


@transaction.atomic
def incident_report(*, actor, contract: Contract, reported_on: datetime.date, summary: str, occurred_on=None) -> ContractIncident:
    require(actor is None or can_manage(actor, contract.program))
    if not (summary or "").strip():
        raise ValidationError({"summary": "事故の概要を入力してください。"})
    if occurred_on and reported_on < occurred_on:
        raise ValidationError({"reported_on": "報告を受けた日が発生日より前です。"})
    return _save(ContractIncident(contract=contract, occurred_on=occurred_on, reported_on=reported_on, summary=summary,
                                  created_by=actor if getattr(actor, "pk", None) else None), actor, summary="受注者からの事故報告（第13条）",
                 verb=AuditAction.REPORT, root=contract)
