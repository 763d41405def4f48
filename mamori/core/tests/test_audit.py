"""Audit events a person can use: business verbs, the record they belong to, every record's history,
the audit log's filters, and the migration that gave the events written before them their verb and root."""
import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction

from mamori.core import audit
from mamori.core.models import AuditAction, AuditEvent
from mamori.disclosure import services as disclosure
from mamori.incidents import services as incidents
from mamori.register import services as register
from mamori.register.tests.test_workflow import draft_change

D = datetime.date
migration = importlib.import_module("mamori.core.migrations.0005_audit_events_migrated")


def _request(city):
    return disclosure.request_create(
        actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
        received_on=D(2024, 6, 3), requester_name="請求 花子", subject="記録", handler=city.users.office,
        documents=[(city.units.kyufu, "認定台帳"), (city.units.kyufu, "面談記録")],
    )


def test_each_act_has_its_verb_and_its_root(city):
    r = _request(city)
    doc = r.documents.first()
    disclosure.document_decide(document=doc, actor=city.users.office, decision="disclose", decided_on=D(2024, 6, 20))
    disclosure.clock_add(request=r, actor=city.users.office, kind="extension", start_on=D(2024, 6, 21), days=20, reason="資料が多いため")
    events = AuditEvent.objects.filter(root_model="disclosure.Request", root_id=str(r.pk)).order_by("id")
    assert [(e.action, e.model) for e in events] == [
        ("receive", "disclosure.Request"), ("decide", "disclosure.RequestDocument"), ("extend", "disclosure.ClockEvent"),
    ]
    assert {e.root_repr for e in events} == {str(r)}


def test_notification_steps_are_verbs(city):
    n = draft_change(city)
    register.notification_submit(notification=n, actor=city.users.staff)
    register.notification_return(notification=n, actor=city.users.manager, comment="理由を詳しく")
    verbs = list(AuditEvent.objects.filter(model="register.Notification", object_id=str(n.pk)).order_by("id").values_list("action", flat=True))
    assert verbs == ["create", "submit", "return"]


def test_the_request_page_shows_the_whole_history_of_the_request(client, city):
    r = _request(city)
    doc = r.documents.first()
    disclosure.document_decide(document=doc, actor=city.users.office, decision="disclose", decided_on=D(2024, 6, 20))
    client.force_login(city.users.office)
    page = client.get(f"/requests/{r.number}/").content.decode()
    history = page[page.index('id="history-heading"'):]
    assert "決定" in history and "受付" in history and "認定台帳" in history


def test_the_audit_log_filters_by_verb_and_by_kind_of_record(client, city):
    r = _request(city)
    disclosure.document_decide(document=r.documents.first(), actor=city.users.office, decision="disclose", decided_on=D(2024, 6, 20))
    n = draft_change(city)
    register.notification_submit(notification=n, actor=city.users.staff)
    client.force_login(city.users.auditor)
    decided = client.get("/audit/", {"verb": "decide"}).context["page"].paginator.object_list
    assert [e.model for e in decided] == ["disclosure.RequestDocument"]
    of_requests = client.get("/audit/", {"subject": "disclosure.Request"}).context["page"].paginator.object_list
    assert {e.model for e in of_requests} == {"disclosure.Request", "disclosure.RequestDocument"}
    submitted = client.get("/audit/", {"verb": "submit", "subject": "register.Notification"}).context["page"].paginator.object_list
    assert [e.object_id for e in submitted] == [str(n.pk)]


def test_an_unknown_verb_is_refused(city):
    with pytest.raises(ValueError, match="unknown audit verb"), transaction.atomic():
        audit.record(actor=None, action="transition", model="x.Y", object_id="1", object_repr="x")


def test_the_migration_gives_old_events_their_verb_and_root(city):
    r = _request(city)
    doc = r.documents.first()
    AuditEvent.objects.all().delete()
    old = [
        AuditEvent.objects.create(action="transition", model="register.Notification", object_id="7", object_repr="届出 2024-0007",
                                  after={"status": "approved"}, summary="提出済 → 課長承認済"),
        AuditEvent.objects.create(action="update", model="register.Notification", object_id="7", object_repr="届出 2024-0007",
                                  after={"comment": "確認"}, summary="コメント"),
        AuditEvent.objects.create(action="create", model="disclosure.Request", object_id=str(r.pk), object_repr=str(r)),
        AuditEvent.objects.create(action="update", model="disclosure.RequestDocument", object_id=str(doc.pk), object_repr=doc.title,
                                  summary=f"請求{r.number}の決定"),
        AuditEvent.objects.create(action="create", model="disclosure.ClockEvent", object_id="999", object_repr="補正",
                                  after={"kind": "correction"}),
    ]
    migration.forwards(apps, SimpleNamespace(connection=connection))  # it uses only the editor's connection
    got = [AuditEvent.objects.get(pk=e.pk) for e in old]
    assert [e.action for e in got] == ["approve", "comment", "receive", "decide", "correct"]
    assert (got[3].root_model, got[3].root_id, got[3].root_repr) == ("disclosure.Request", str(r.pk), str(r))
    assert (got[0].root_model, got[0].root_id) == ("register.Notification", "7")
    # a subject whose row is gone keeps itself as its root
    assert (got[4].root_model, got[4].root_id) == ("disclosure.ClockEvent", "999")
    assert "transition" not in AuditAction.values


def test_b1_the_system_administrator_reads_no_incident_or_request_through_the_audit_log(client, city):
    """Audit access follows record access: /incidents/ is closed to the administrator, so is their audit trail."""
    r = _request(city)
    incident = incidents.incident_save(actor=city.users.office, incident=None, programs=[city.programs.teate], groups=[("受給者", 3)],
                                       items=["氏名"], title="誤送付事案", summary="通知の誤送付", unit=city.units.kyufu,
                                       learned_on=D(2024, 7, 1))
    client.force_login(city.users.sysadmin)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 403
    page = client.get("/audit/", {"q": ""}).content.decode()
    assert "誤送付事案" not in page and r.number not in page
    assert "core.User" in page or "利用者" in page  # what the administrator keeps is still there
    for model, pk in (("incidents.Incident", incident.pk), ("disclosure.Request", r.pk)):
        assert client.get(f"/audit/{model}/{pk}/").status_code == 404
        assert not client.get("/audit/", {"model": model.split(".")[0]}).context["page"].paginator.count
    client.force_login(city.users.auditor)
    assert client.get(f"/audit/incidents.Incident/{incident.pk}/").status_code == 200
    assert "誤送付事案" in client.get("/audit/").content.decode()
