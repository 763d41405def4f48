"""Incidents: record the facts, assess them (rules.assess), confirm or override, record reports.
The office records an incident and corrects it (the same service, with the version its form was opened on)."""
from django.core.exceptions import ValidationError
from django.db import transaction

from mamori.core import audit, concurrency
from mamori.core.calendar import ClosureCalendar
from mamori.core.models import AuditAction, ClosureDay, MunicipalSettings
from mamori.core.permissions import can_manage_incidents, require
from mamori.incidents import rules
from mamori.incidents.models import AffectedGroup, Incident
from mamori.register.vocabulary import Vocabulary

FIELDS = ("title", "summary", "occurred_on", "learned_on", "unit", "contract", "contractor_name", "items", "media", "cause", "malicious",
          "property_damage", "encrypted", "recovered_unseen", "secondary_damage", "measures_done", "measures_planned", "sokuhou_on", "kakuhou_on",
          "notice_method", "notice_on", "notice_exception", "notice_exception_reason", "published_on", "publish_note")


def facts_for(incident: Incident, vocab: Vocabulary | None = None) -> rules.Facts:
    """The facts, with 要配慮 and マイナンバー known from the vocabulary (the register's items)."""
    vocab = vocab or Vocabulary()
    items = list(incident.items)
    sensitive = [i for i in items if vocab.find(i) and vocab.find(i).is_sensitive]
    my_number = any(vocab.find(i) and vocab.find(i).is_my_number for i in items)
    ordinance = [x.strip() for x in MunicipalSettings.current().ordinance_sensitive_items.splitlines() if x.strip()]
    return rules.Facts(items=items, sensitive_items=sensitive, ordinance_items=[i for i in items if i in ordinance], my_number=my_number,
                       persons=incident.persons, malicious=incident.malicious, property_damage=incident.property_damage,
                       encrypted=incident.encrypted, recovered_unseen=incident.recovered_unseen)


def calendar() -> ClosureCalendar:
    """土日・祝日・年末年始 and the city's own closure days (core.ClosureDay): a 確報 due on one moves to the next open day."""
    return ClosureCalendar(extra={d.date: d.name for d in ClosureDay.objects.all()})


def clocks_for(incident: Incident, closure: ClosureCalendar | None = None) -> rules.Clocks:
    return rules.clocks(incident.learned_on, incident.malicious, closure or calendar())


def _changed(incident: Incident, before: dict | None, after: dict, extra: list[str]) -> str:
    return audit.correction_summary(Incident, before, after, extra)


def _validate(data: dict, groups) -> None:
    errors = rules.date_errors(data.get("occurred_on"), data.get("learned_on"), data.get("sokuhou_on"), data.get("kakuhou_on"))
    for name, count in groups:
        if count is None or count < 0:
            errors["groups"] = f"「{name}」の人数は0以上で入力してください。"
        if not (name or "").strip():
            errors["groups"] = "本人の区分の名前を入力してください（例：児童生徒）。"
    if data.get("notice_exception") and not (data.get("notice_exception_reason") or "").strip():
        errors["notice_exception_reason"] = "本人通知の例外には、理由と代替措置を書いてください。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def incident_save(*, actor, incident: Incident | None = None, programs=(), groups=(), base_version: str | None = None, **data) -> Incident:
    require(actor is None or can_manage_incidents(actor), "漏えい等事案を記録できるのは個人情報保護担当です。")
    groups = list(groups)
    _validate(data, groups)
    if incident is not None:  # the stored row, locked, not the form's copy
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        concurrency.check(incident, base_version, subject=f"事案「{incident.title}」")
    before = audit.snapshot(incident) if incident else None
    before_extra = incident.version_extra() if incident else {}
    incident = incident or Incident(created_by=actor if getattr(actor, "pk", None) else None)
    for key, value in data.items():
        if key in FIELDS:
            setattr(incident, key, value)
    if not incident.items and programs:
        incident.items = list(dict.fromkeys(gi.written_name for p in programs for g in p.current.groups.all() for gi in g.items.all()))
    incident.full_clean()
    incident.save()
    incident.programs.set(programs)
    incident.groups.all().delete()
    AffectedGroup.objects.bulk_create([AffectedGroup(incident=incident, name=n.strip(), count=c) for n, c in groups])
    after = audit.snapshot(incident)
    extra = [Incident.VERSION_LABELS[k] for k, v in incident.version_extra().items() if before is not None and before_extra.get(k) != v]
    audit.record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=incident, before=before, after=after,
                 summary=_changed(incident, before, after, extra))
    return incident


@transaction.atomic
def incident_confirm(*, actor, incident: Incident, override: bool | None, note: str = "", base_version: str | None = None) -> Incident:
    """The office confirms the assessment it saw, or overrides it with a note."""
    require(can_manage_incidents(actor), "報告の要否を確認できるのは個人情報保護担当です。")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    concurrency.check(incident, base_version, subject=f"事案「{incident.title}」")
    if override is not None and not (note or "").strip():
        raise ValidationError({"override_note": "判断を上書きするときは、その理由を書いてください。"})
    before = audit.snapshot(incident)
    incident.confirmed, incident.override_reportable, incident.override_note = True, override, note
    incident.full_clean()
    incident.save()
    audit.record(actor=actor, action=AuditAction.CONFIRM, obj=incident, before=before, after=audit.snapshot(incident), summary="報告要否の確認")
    return incident


def reportable(incident: Incident, vocab: Vocabulary | None = None) -> bool:
    """Whether the PPC must be told: the office's override if it made one, else the assessment (規則第43条)."""
    if incident.override_reportable is not None:
        return incident.override_reportable
    return rules.assess(facts_for(incident, vocab)).reportable
