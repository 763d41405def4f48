"""Issue 11, 1: audit access follows record access. Every role walks the audit log, each of its
filters and the history page of every record that has events, against the policy written here:

- the office and the auditors read every event;
- the system administrator reads the events of what it administers (users, the organisation, the
  municipal settings, imports) and nothing of programs, 届出, requests, contracts or incidents;
- everyone else is refused the audit log (403) and reads a record's history only on its own page.
"""
import pytest

from mamori.core.forms import record_kinds
from mamori.core.models import AuditAction, AuditEvent
from mamori.core.tests.test_permissions import ROLES, walk  # noqa: F401  (fixture)

ADMINISTERED = {"core.User", "core.OrgUnit", "core.Organ", "core.MunicipalSettings", "mamori.export"}


def expected_ids(role: str) -> set[int] | None:
    """What the role may read, computed from the events themselves; None: the audit log is closed."""
    if role in ("office", "auditor"):
        return set(AuditEvent.objects.values_list("pk", flat=True))
    if role == "sysadmin":
        return {e.pk for e in AuditEvent.objects.all() if (e.root_model or e.model) in ADMINISTERED}
    return None


def listed(client, params: dict) -> set[int]:
    response = client.get("/audit/", params)
    assert response.status_code == 200, params
    return set(response.context["page"].paginator.object_list.values_list("pk", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_b1_audit_log_filters_and_record_pages_follow_record_access(client, walk, role):  # noqa: F811
    city, _args, _review = walk
    client.force_login(getattr(city.users, role))
    allowed = expected_ids(role)
    events = list(AuditEvent.objects.all())
    assert len(events) > 40 and {e.root_model for e in events} - ADMINISTERED  # the walk made records of every app
    if allowed is None:
        assert client.get("/audit/").status_code == 403
        for e in events[:20]:
            assert client.get(f"/audit/{e.model}/{e.object_id}/").status_code == 403
        return
    assert listed(client, {}) == allowed
    by_id = {e.pk: e for e in events}
    for verb in AuditAction.values:
        assert listed(client, {"verb": verb}) == {i for i in allowed if by_id[i].action == verb}, verb
    for kind, _label in record_kinds():
        assert listed(client, {"subject": kind}) == {i for i in allowed if kind in (by_id[i].model, by_id[i].root_model)}, kind
    for text in ("誤送付", "請求 太郎", "児童手当", "株式会社テスト"):
        assert listed(client, {"q": text}) <= allowed
    for app in ("incidents", "disclosure", "outsourcing", "register", "council", "core"):
        assert listed(client, {"model": app}) == {i for i in allowed if app in by_id[i].model.lower()}, app
    seen_pages = 0
    for model, object_id in {(e.model, e.object_id) for e in events}:
        response = client.get(f"/audit/{model}/{object_id}/")
        mine = {e.pk for e in events if (e.model, e.object_id) == (model, object_id)} & allowed
        if mine:
            assert response.status_code == 200
            assert {e.pk for e in response.context["events"]} == mine
            seen_pages += 1
        else:
            assert response.status_code == 404, (model, object_id)
    assert seen_pages
