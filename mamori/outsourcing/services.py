"""Every write for contractor supervision, validated against the special provisions and audited.

The office, and the department that runs the program, may write a contract and what belongs to it
(core.permissions.can_manage_contract); contractors and their certifications are the office's. Who may
create a record may correct it: a correction goes through the same service, on the row locked, with
the version the form was opened on (core.concurrency), and its audit event names what changed."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from mamori.core import audit, concurrency
from mamori.core.calendar import fiscal_year_label, wareki
from mamori.core.models import AuditAction
from mamori.core.permissions import can_manage_contract, can_supervise_contractors, require
from mamori.outsourcing import rules
from mamori.outsourcing.models import Certification, Contract, ContractIncident, Contractor, Disposal, Finding, FormReceipt, Inspection, SpecialProvisions


def can_manage(user, program=None) -> bool:
    """The office, or the department that runs the program (core.permissions.can_manage_contract)."""
    return can_manage_contract(user, program.current.unit if program is not None and program.current_id else None)


def changed_summary(obj, before: dict | None, after: dict, lead: str = "訂正") -> str:
    return audit.correction_summary(type(obj), before, after, lead=lead)


def _save(obj, actor, before=None, summary="", verb=None, root=None):
    """Validate, save and audit; ``root`` is the contract or contractor the record belongs to."""
    obj.full_clean()
    obj.save()
    after = audit.snapshot(obj)
    audit.record(actor=actor, action=verb or (AuditAction.UPDATE if before else AuditAction.CREATE), obj=obj, before=before,
                 after=after, summary=summary or changed_summary(obj, before, after), root=root)
    return obj


def _raise(errors: dict) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- contractors and certifications


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


def _certification_errors(expires_on, issued_on) -> dict:
    if issued_on and expires_on and expires_on < issued_on:
        return {"expires_on": f"有効期限（{wareki(expires_on)}）が取得日（{wareki(issued_on)}）より前です。日付を確かめてください。"}
    return {}


@transaction.atomic
def certification_add(*, actor, contractor: Contractor, kind: str, expires_on: datetime.date, number: str = "", scope: str = "", issued_on=None,
                      base_version: str | None = None) -> Certification:
    require(can_supervise_contractors(actor) or actor is None, "認証を登録できるのは個人情報保護担当です。")
    _raise(_certification_errors(expires_on, issued_on))
    return _save(Certification(contractor=contractor, kind=kind, number=number, scope=scope, issued_on=issued_on, expires_on=expires_on), actor,
                 summary=f"{contractor}の認証", root=contractor)


@transaction.atomic
def certification_update(*, actor, certification: Certification, kind: str, expires_on: datetime.date, number: str = "", scope: str = "",
                         issued_on=None, base_version: str | None = None) -> Certification:
    """Correct a certification (a renewed 有効期限, a mistyped 登録番号)."""
    require(can_supervise_contractors(actor) or actor is None, "認証を訂正できるのは個人情報保護担当です。")
    certification = Certification.objects.select_for_update(of=("self",)).select_related("contractor").get(pk=certification.pk)
    concurrency.check(certification, base_version, subject=f"{certification.contractor}の認証（{certification.get_kind_display()}）")
    _raise(_certification_errors(expires_on, issued_on))
    before = audit.snapshot(certification)
    certification.kind, certification.number, certification.scope, certification.issued_on, certification.expires_on = kind, number, scope, issued_on, expires_on
    after = audit.snapshot(certification)
    return _save(certification, actor, before, root=certification.contractor,
                 summary=f"{certification.contractor}の認証　" + changed_summary(certification, before, after))


# ---------------------------------------------------------------- contracts


def _contract_errors(*, contract, program, kind, parent, approved_on, starts_on, ends_on) -> dict:
    errors: dict[str, list[str]] = {"parent": [], "approved_on": [], "ends_on": [], "kind": []}
    errors["parent"] += rules.chain_errors(kind, parent.kind if parent else None, parent is None or parent.program_id == program.pk)
    if rules.period_error(starts_on, ends_on):
        errors["ends_on"].append(rules.period_error(starts_on, ends_on))
    if parent is not None and contract is not None and parent.pk == contract.pk:
        errors["parent"].append("自分自身を元の契約にはできません。")
    if approved_on and not rules.needs_approval(kind):
        errors["approved_on"].append("書面承認日は再委託・再々委託のときだけ記録します。種類を確かめるか、承認日を空欄にしてください。")
    elif approved_on and parent and approved_on < parent.starts_on:
        errors["approved_on"].append(f"再委託の承認日（{wareki(approved_on)}）が元の契約の開始（{wareki(parent.starts_on)}）より前です。")
    if contract is not None:  # a correction must keep the sub-contracts beneath it in order
        for child in contract.children.select_related("contractor"):
            for message in rules.chain_errors(child.kind, kind, child.program_id == program.pk):
                errors["kind"].append(f"この契約の下にある{child.get_kind_display()}「{child.title}」と合わなくなります：{message}")
    return errors


@transaction.atomic
def contract_save(*, actor, program, contractor: Contractor, kind: str, title: str, starts_on: datetime.date, ends_on: datetime.date,
                  parent: Contract | None = None, approved_on=None, work: str = "", items=(), contract: Contract | None = None,
                  base_version: str | None = None) -> Contract:
    """Register a contract, or correct one (``contract``): e.g. add the 書面承認日 of a 再委託 recorded without it."""
    require(actor is None or can_manage(actor, program), "この事務事業の契約を登録する権限がありません。")
    if contract is not None:
        contract = Contract.objects.select_for_update(of=("self",)).select_related("program__current").get(pk=contract.pk)
        require(actor is None or can_manage(actor, contract.program), "この契約を訂正する権限がありません。")
        concurrency.check(contract, base_version, subject=f"契約「{contract.title}」")
    errors = _contract_errors(contract=contract, program=program, kind=kind, parent=parent, approved_on=approved_on, starts_on=starts_on, ends_on=ends_on)
    known = set()
    if program.current_id:
        known = {gi.written_name for g in program.current.groups.all() for gi in g.items.all()}
    unknown = [i for i in items if i not in known]
    if unknown:
        errors["items"] = ["この事務事業の記録項目にない項目があります：" + "、".join(unknown) + "。管理簿の項目から選んでください。"]
    _raise(errors)
    before = audit.snapshot(contract) if contract else None
    contract = contract or Contract()
    for key, value in dict(program=program, contractor=contractor, kind=kind, title=title, starts_on=starts_on, ends_on=ends_on,
                           parent=parent, approved_on=approved_on, work=work, items=list(items)).items():
        setattr(contract, key, value)
    return _save(contract, actor, before)


@transaction.atomic
def form_receive(*, actor, contract: Contract, form: str, received_on: datetime.date, details: dict | None = None) -> FormReceipt:
    require(actor is None or can_manage(actor, contract.program), "この契約の提出物を記録する権限がありません。")
    existing = FormReceipt.objects.filter(contract=contract, form=form).first()
    before = audit.snapshot(existing) if existing else None
    receipt = existing or FormReceipt(contract=contract, form=form)
    receipt.received_on, receipt.details = received_on, details or {}
    return _save(receipt, actor, before, summary=rules.FORMS[form] + ("の受領を訂正" if before else ""), root=contract)


# ---------------------------------------------------------------- inspections (別紙4) and findings


def _answer(entry: dict | None) -> str:
    return rules.RESULTS.get((entry or {}).get("result", ""), "未記入")


def _results_summary(old: dict, new: dict) -> list[str]:
    """「点検項目5（否→適）」「点検項目3のコメント」: what a correction of the answers changed."""
    out = []
    for number, *_ in rules.CHECKLIST:
        a, b = old.get(str(number)) or {}, new.get(str(number)) or {}
        if a.get("result", "") != b.get("result", ""):
            out.append(f"点検項目{number}（{_answer(a)}→{_answer(b)}）")
        elif (a.get("comment") or "") != (b.get("comment") or ""):
            out.append(f"点検項目{number}のコメント")
    return out


def _sync_findings(inspection: Inspection, actor, old_results: dict) -> None:
    """Every 否 opens a finding to follow up. On a correction: a 否 corrected to 適・該当なし drops its finding
    if nothing was recorded on it yet (else it stays, with what was done); a changed comment updates the
    finding's text while it still reads as the old comment."""
    contract = inspection.contract
    findings = {f.item: f for f in inspection.findings.all()}
    for number, *_ in rules.CHECKLIST:
        entry = inspection.results.get(str(number)) or {}
        finding = findings.get(number)
        comment = (entry.get("comment") or "").strip()
        if entry.get("result") == "ng":
            if finding is None:
                _save(Finding(inspection=inspection, item=number, finding=comment or f"点検項目{number}が「否」"), actor, summary=f"指摘事項（点検項目{number}）", root=contract)
            elif comment and finding.finding == ((old_results.get(str(number)) or {}).get("comment") or "").strip() and finding.finding != comment:
                before = audit.snapshot(finding)
                finding.finding = comment
                _save(finding, actor, before, summary=f"指摘事項（点検項目{number}）の内容を別紙4の訂正に合わせる", root=contract)
        elif finding is not None and not (finding.action or finding.due_on or finding.done_on):
            audit.record(actor=actor, action=AuditAction.DELETE, obj=finding, before=audit.snapshot(finding), after=None, root=contract,
                         summary=f"指摘事項（点検項目{number}）：別紙4の訂正で「{_answer(entry)}」になったため取り消し")
            finding.delete()


@transaction.atomic
def inspection_save(*, actor, contract: Contract, fiscal_year: int, method: str, inspected_on: datetime.date, results: dict,
                    city_inspectors: str = "", contractor_staff: str = "", handled_info: str = "",
                    inspection: Inspection | None = None, base_version: str | None = None) -> Inspection:
    """Record the year's inspection, or correct one (``inspection``: its 別紙4 answers, method, date)."""
    require(actor is None or can_manage(actor, contract.program), "この契約の検査を記録する権限がありません。")
    if inspection is not None:
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk, contract=contract)
        concurrency.check(inspection, base_version, subject=f"{fiscal_year_label(inspection.fiscal_year)}の検査")
    errors: dict[str, list[str]] = {"results": [], "inspected_on": [], "fiscal_year": []}
    errors["results"] += rules.checklist_errors(results, complete=rules.checklist_required(method))
    if inspected_on < contract.starts_on:
        errors["inspected_on"].append(f"検査実施日（{wareki(inspected_on)}）が契約の開始（{wareki(contract.starts_on)}）より前です。")
    clash = Inspection.objects.filter(contract=contract, fiscal_year=fiscal_year).exclude(pk=getattr(inspection, "pk", None)).first()
    if clash:
        errors["fiscal_year"].append(f"{fiscal_year_label(fiscal_year)}の検査はすでに記録されています（{wareki(clash.inspected_on)} {clash.get_method_display()}）。"
                                     "訂正するときは、その検査の「回答を訂正」を開いてください。")
    _raise(errors)
    before = audit.snapshot(inspection) if inspection else None
    old_results = dict(inspection.results) if inspection else {}
    inspection = inspection or Inspection(contract=contract)
    for key, value in dict(fiscal_year=fiscal_year, method=method, inspected_on=inspected_on, results=results, city_inspectors=city_inspectors,
                           contractor_staff=contractor_staff, handled_info=handled_info).items():
        setattr(inspection, key, value)
    if before is None:
        summary = f"{rules.METHODS[method]}（{fiscal_year_label(fiscal_year)}）"
    else:
        after = audit.snapshot(inspection)
        parts = _results_summary(old_results, results) + [str(Inspection._meta.get_field(k).verbose_name) for k in after
                                                          if k != "results" and before.get(k) != after.get(k)]
        summary = f"別紙4の訂正（{fiscal_year_label(fiscal_year)}）：{'、'.join(parts) or '変更なし'}"
    inspection = _save(inspection, actor, before, summary=summary, verb=AuditAction.INSPECT if before is None else AuditAction.UPDATE, root=contract)
    _sync_findings(inspection, actor, old_results)
    return inspection


@transaction.atomic
def finding_update(*, actor, finding: Finding, action: str, due_on=None, done_on=None, base_version: str | None = None) -> Finding:
    require(can_manage(actor, finding.inspection.contract.program), "この契約の是正措置を記録する権限がありません。")
    finding = Finding.objects.select_for_update(of=("self",)).select_related("inspection__contract__program").get(pk=finding.pk)
    concurrency.check(finding, base_version, subject=f"指摘事項（点検項目{finding.item}）")
    if done_on and done_on < finding.inspection.inspected_on:
        raise ValidationError({"done_on": f"是正確認日（{wareki(done_on)}）が検査実施日（{wareki(finding.inspection.inspected_on)}）より前です。"})
    before = audit.snapshot(finding)
    finding.action, finding.due_on, finding.done_on = action, due_on, done_on
    return _save(finding, actor, before, summary=f"是正措置（点検項目{finding.item}）", root=finding.inspection.contract)


# ---------------------------------------------------------------- the end of a contract, and the contractor's incident reports


@transaction.atomic
def disposal_record(*, actor, contract: Contract, method: str, done_on: datetime.date, person: str, detail: str = "", report_received_on=None,
                    base_version: str | None = None) -> Disposal:
    """特記事項第14条: the return or erasure at the end, recorded once and corrected on the same record."""
    require(actor is None or can_manage(actor, contract.program), "この契約の返還・廃棄を記録する権限がありません。")
    existing = Disposal.objects.select_for_update().filter(contract=contract).first()
    concurrency.check(existing, base_version, model=Disposal, subject="返還・廃棄の記録")
    errors = {}
    if done_on < contract.starts_on:
        errors["done_on"] = f"返還・廃棄の日（{wareki(done_on)}）が契約の開始（{wareki(contract.starts_on)}）より前です。日付を確かめてください。"
    if report_received_on and report_received_on < done_on:
        errors["report_received_on"] = f"書面報告の受領日（{wareki(report_received_on)}）が返還・廃棄の日（{wareki(done_on)}）より前です。"
    if not (person or "").strip():
        errors["person"] = "担当者名を入力してください（特記事項第14条第4項）。"
    _raise(errors)
    before = audit.snapshot(existing) if existing else None
    disposal = existing or Disposal(contract=contract)
    disposal.method, disposal.done_on, disposal.person, disposal.detail, disposal.report_received_on = method, done_on, person.strip(), detail, report_received_on
    after = audit.snapshot(disposal)
    summary = "返還・廃棄（第14条）" + ("　" + changed_summary(disposal, before, after) if before else "")
    return _save(disposal, actor, before, summary=summary, verb=AuditAction.DISPOSE if before is None else AuditAction.UPDATE, root=contract)


@transaction.atomic
def incident_report(*, actor, contract: Contract, reported_on: datetime.date, summary: str, occurred_on=None) -> ContractIncident:
    require(actor is None or can_manage(actor, contract.program), "この契約の事故報告を記録する権限がありません。")
    if not (summary or "").strip():
        raise ValidationError({"summary": "事故の概要を入力してください。"})
    if occurred_on and reported_on < occurred_on:
        raise ValidationError({"reported_on": f"報告を受けた日（{wareki(reported_on)}）が発生日（{wareki(occurred_on)}）より前です。"})
    return _save(ContractIncident(contract=contract, occurred_on=occurred_on, reported_on=reported_on, summary=summary,
                                  created_by=actor if getattr(actor, "pk", None) else None), actor, summary="受注者からの事故報告（第13条）",
                 verb=AuditAction.REPORT, root=contract)


# ---------------------------------------------------------------- the 特記事項 (the office's own text, in editions)


@transaction.atomic
def special_provisions_add(*, actor, in_force_on: datetime.date, body: str, title: str = "", note: str = "") -> SpecialProvisions:
    """A new edition of the 特記事項, in force from ``in_force_on``; earlier editions stay as they were (a contract
    signed under one keeps it). Only the office keeps the text."""
    require(can_supervise_contractors(actor) or actor is None, "特記事項を登録できるのは個人情報保護担当です。")
    lines = [line.strip() for line in (body or "").replace("\r\n", "\n").split("\n")]
    body = "\n".join(line for line in lines if line)
    if not body:
        raise ValidationError({"body": "本文を入力してください（条ごとに改行して、第１条から）。"})
    edition = SpecialProvisions(title=(title or "").strip() or SpecialProvisions._meta.get_field("title").default, in_force_on=in_force_on,
                                body=body, note=(note or "").strip(), created_by=actor)
    return _save(edition, actor, summary=f"{edition}を登録")
