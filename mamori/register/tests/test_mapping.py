"""A document's 担当 against the organisation, level by level: a missing level is reported, never
replaced by the one above it; the office creates it (core's unit service, audited) or maps it by choice."""
import pytest

from mamori.core.concurrency import token_for
from mamori.core.models import AuditEvent, OrgUnit
from mamori.register import services
from mamori.register.importers.mapping import Matcher, proposed_from_extracted
from mamori.register.models import NotificationKind, Program


@pytest.mark.parametrize(
    ("department", "exact", "nearest", "missing"),
    [
        ({"division": "総務部", "section": "収納課", "unit": "納税係"}, "nozei", "nozei", []),
        ({"division": "総務部", "section": "収納課", "unit": "徴収係"}, None, "shuno", [("unit", "徴収係")]),  # not silently its 課
        ({"section": "収納課", "unit": "納税係"}, "nozei", "nozei", []),  # written without its 部
        ({"division": "総務部", "section": "収納課 ", "unit": "納税係"}, "nozei", "nozei", []),  # spaces and width do not matter
        ({"division": "総務部", "section": "契約検査課", "unit": "入札契約係"}, None, "somu", [("section", "契約検査課"), ("unit", "入札契約係")]),
        ({"division": "健康福祉部", "section": "高齢介護課"}, None, None, [("division", "健康福祉部"), ("section", "高齢介護課")]),
        ({"division": "こども・健康部", "section": "こども未来課", "unit": "こども給付係", "team": "給付金プロジェクト・チーム"}, "team", "team", []),
        ({"division": "総務部"}, "somu", "somu", []),
    ],
)
def test_department_levels(city, department, exact, nearest, missing):
    match = Matcher().department(department)
    unit = lambda key: getattr(city.units, key) if key else None  # noqa: E731
    assert (match.exact, match.nearest, match.missing) == (unit(exact), unit(nearest), missing)
    assert match.unknown is bool(missing)


def _imported(city, department, extracted=None):
    source = services.ingest_source_create(actor=None, file_name="doc.txt", sha256="1" * 64, size=1, text="x", meeting=None)
    data = {"program": "徴収事業", "department": department, "items": ["氏名"], **(extracted or {})}
    return services.notification_import(actor=None, source=source, kind=NotificationKind.NEW, unit=Matcher().unit(department), program=None,
                                        reason="始めるため", content="始める。", effective_date=__import__("datetime").date(2025, 4, 1),
                                        source_block="x", extracted=data, import_key="k")


def _review(n, **changes):
    data = {"kind": "new", "program_name": "徴収事業", "unit": "", "effective_date": "2025-04-01", "reason": n.reason, "content": n.content,
            "items": "氏名", "reuse_sources": "", "provided_to": "", "contractors": "", "online_partners": "", "base_version": token_for(n)}
    return data | changes


DEPT = {"division": "総務部", "section": "収納課", "unit": "徴収係"}


def test_an_unknown_unit_is_flagged_on_the_review_and_created_there(client, city):
    n = _imported(city, DEPT)
    assert n.unit is None
    client.force_login(city.users.office)
    page = client.get(f"/register/notifications/{n.number}/").content.decode()
    assert "「徴収係」（係）が組織にありません" in page and "文書のとおり組織を作成して担当にする（「総務部 収納課」の下に「徴収係」（係）を作成）" in page
    before = AuditEvent.objects.filter(model="core.OrgUnit").count()
    response = client.post(f"/register/notifications/{n.number}/review/", _review(n, department_action="create"))
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.unit.label == "総務部 収納課 徴収係" and n.unit.parent == city.units.shuno
    assert AuditEvent.objects.filter(model="core.OrgUnit").count() == before + 1  # through core's service, audited


def test_or_mapped_to_an_existing_unit_by_choice_and_never_by_default(client, city):
    n = _imported(city, DEPT)
    client.force_login(city.users.office)
    page = client.post(f"/register/notifications/{n.number}/review/", _review(n, department_action="choose", accept="1")).content.decode()
    assert "担当にする既存の組織を選んでください。" in page  # choosing needs a choice
    page = client.post(f"/register/notifications/{n.number}/review/", _review(n, accept="1", reason="直した理由")).content.decode()
    assert "担当の組織を選ぶか作成してから受理してください" in page and "直した理由" in page  # kept as typed
    n.refresh_from_db()
    assert n.status == "imported" and n.reason == "始めるため"  # nothing written
    response = client.post(f"/register/notifications/{n.number}/review/", _review(n, department_action="choose", unit=city.units.shuno.pk, accept="1"))
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.status == "accepted" and n.unit == city.units.shuno and not OrgUnit.objects.filter(name="徴収係").exists()


def test_a_program_the_document_names_is_registered_from_the_review_with_the_typed_corrections(client, city):
    n = _imported(city, {"division": "総務部", "section": "収納課", "unit": "納税係"}, {"reuse_sources": ["固定資産税事業"]})
    client.force_login(city.users.office)
    post = _review(n, unit=city.units.nozei.pk, reuse_sources="固定資産税事業", reason="直した理由", create_program="0", **{"cp-name-0": "固定資産税事業"})
    page = client.post(f"/register/notifications/{n.number}/review/", post).content.decode()
    assert "登録する事務事業の担当を選んでください。" in page and "直した理由" in page  # refused beside its row, input kept
    response = client.post(f"/register/notifications/{n.number}/review/", post | {"cp-unit-0": city.units.nozei.pk})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.reason == "直した理由" and n.unit == city.units.nozei

    assert Program.objects.filter(current__name="固定資産税事業", current__unit=city.units.nozei).exists()


def test_online_partners_become_online_flows_not_contractors(city):
    data, missing = proposed_from_extracted({"program": "図書館運営事業", "items": ["利用者番号"], "online_partners": ["一般社団法人デジタル図書推進機構"],
                                             "contractors": ["株式会社図書サービス"], "online_link": True}, city.units.nozei, None)
    assert missing == []
    assert {(f["kind"], f["party"]) for f in data["flows"]} == {("online", "一般社団法人デジタル図書推進機構"), ("outsource", "株式会社図書サービス")}
