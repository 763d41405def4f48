"""The impact page, its documents, the command and the pre-fill of an incident."""
import csv
import io
import json

import openpyxl
import pdfplumber
import pytest
from django.core.management import call_command

from mamori.core import concurrency
from mamori.impact.tests.test_paths import graph  # noqa: F401 — the fixture
from mamori.incidents import services as incidents
from mamori.incidents.models import Incident

Q = {"kind": "contractor", "value": "株式会社検診センター", "on": "令和6年7月1日"}


def test_the_page_answers_with_paths_flags_and_totals(graph, city, client):  # noqa: F811
    client.force_login(city.users.office)
    page = client.get("/impact/", Q).content.decode()
    assert "該当する事務事業 <strong>2件</strong>" in page and "1,100人" in page
    assert "再委託（情報システム株式会社の下）" in page and "要配慮：検診の結果" in page
    assert "期間外の契約が1件" in page and "令和6年7月1日現在" in page


def test_a_name_that_finds_nothing_comes_back_with_the_reason_beside_the_field(graph, city, client):  # noqa: F811
    client.force_login(city.users.office)
    page = client.get("/impact/", {**Q, "value": "存在しない社"}).content.decode()
    assert 'id="id_value_error"' in page and "登録されていません" in page and 'value="存在しない社"' in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_answer_downloads(graph, city, client, fmt):  # noqa: F811
    client.force_login(city.users.office)
    response = client.get("/impact/", {**Q, "format": fmt})
    assert response.status_code == 200
    data = response.content
    if fmt == "csv":
        assert data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0][0] == "管理番号" and {r[1] for r in rows[1:]} == {"がん検診事業", "学校給食事業"}
    elif fmt == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
        assert "影響範囲（委託事業者：株式会社検診センター、令和6年7月1日現在）" in text and "再委託（情報システム株式会社の下）" in text
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    else:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert "がん検診事業" in text and "1,100人" in text


def test_the_command(graph, capsys):  # noqa: F811
    call_command("impact", contractor="9234567890123", on="R6.7.1", format="json")
    data = json.loads(capsys.readouterr().out)
    assert data["total_persons"] == 1100 and {r["name"] for r in data["rows"]} == {"がん検診事業", "学校給食事業"}
    call_command("impact", item="検診の結果", on="2024-07-01")
    out = capsys.readouterr().out
    assert "がん検診事業" in out and "要配慮" in out


def test_an_incident_is_prefilled_from_the_answer(graph, city, client):  # noqa: F811
    incident = incidents.incident_save(actor=city.users.office, title="検診結果の誤送付", summary="誤送付", learned_on=graph["kenshin"].current.effective_from,
                                       unit=city.units.kyufu, contractor_name="株式会社検診センター", groups=[("受診者", 1)])
    client.force_login(city.users.office)
    detail = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "影響範囲を調べる" in detail and "kind=contractor" in detail
    page = client.get("/impact/", {**Q, "incident": incident.pk}).content.decode()
    assert "この結果を事案に反映する" in page and "data-confirm" in page
    response = client.post(f"/impact/incidents/{incident.pk}/apply/", {**Q, "on": "2024-07-01", "base_version": concurrency.token_for(incident)})
    assert response.status_code == 302
    incident = Incident.objects.get(pk=incident.pk)
    assert {p.current.name for p in incident.programs.all()} == {"がん検診事業", "学校給食事業"}
    assert "検診の結果" in incident.items and incident.persons == 1100
    assert incident.title == "検診結果の誤送付" and incident.contractor_name == "株式会社検診センター"  # the rest stays


def test_a_stale_prefill_is_refused(graph, city, client):  # noqa: F811
    incident = incidents.incident_save(actor=city.users.office, title="誤送付", summary="誤送付", learned_on=graph["kenshin"].current.effective_from,
                                       unit=city.units.kyufu, groups=[("受診者", 1)])
    old = concurrency.token_for(incident)
    incidents.incident_save(actor=city.users.office, incident=incident, title="誤送付（更新）", summary="誤送付", learned_on=incident.learned_on,
                            unit=incident.unit, groups=[("受診者", 2)], base_version=old)
    client.force_login(city.users.office)
    client.post(f"/impact/incidents/{incident.pk}/apply/", {**Q, "on": "2024-07-01", "base_version": old})
    assert Incident.objects.get(pk=incident.pk).persons == 2


def test_only_the_office_prefills(graph, city, client):  # noqa: F811
    incident = incidents.incident_save(actor=city.users.office, title="誤送付", summary="誤送付", learned_on=graph["kenshin"].current.effective_from,
                                       unit=city.units.kyufu, groups=[("受診者", 1)])
    for user in (city.users.staff, city.users.auditor):
        client.force_login(user)
        assert "この結果を事案に反映する" not in client.get("/impact/", {**Q, "incident": incident.pk}).content.decode()
        assert client.post(f"/impact/incidents/{incident.pk}/apply/", {**Q, "base_version": concurrency.token_for(incident)}).status_code == 403


def test_the_map_data_and_the_list_beside_it(graph, city, client):  # noqa: F811
    client.force_login(city.users.office)
    data = client.get("/impact/map/data/", {"on": "令和6年7月1日"}).json()
    nodes = {n["label"]: n for n in data["nodes"]}
    assert nodes["がん検診事業"]["sensitive"] and nodes["株式会社検診センター"]["type"] == "contractor"
    # the register's 外部委託 flow (「株式会社 検診センター」) and the contract meet at one node
    assert sum(1 for n in data["nodes"] if "検診センター" in n["label"]) == 1
    kinds = {(e["source"], e["target"]): e["label"] for e in data["edges"]}
    ids = {n["label"]: n["id"] for n in data["nodes"]}
    assert kinds[(ids["情報システム株式会社"], ids["株式会社検診センター"])] == "再委託"
    assert kinds[(ids["住民基本台帳管理事業"], ids["児童手当給付事業"])] == "目的外利用"
    page = client.get("/impact/map/", {"on": "令和6年7月1日"}).content.decode()
    assert "委託 → 株式会社検診センター" in page and 'id="flowmap"' in page and "/impact/map/data/?" in page


def test_the_map_filters_and_highlights_an_answer(graph, city, client):  # noqa: F811
    client.force_login(city.users.office)
    sensitive = client.get("/impact/map/data/", {"sensitive": "on"}).json()
    shown = {n["label"] for n in sensitive["nodes"] if n["type"] == "program"}
    assert "がん検診事業" in shown and "住民基本台帳管理事業" not in shown and all(
        n["sensitive"] for n in sensitive["nodes"] if n["type"] == "program")
    lit = client.get("/impact/map/data/", {"kind": "contractor", "value": "株式会社検診センター", "on": "2024-07-01"}).json()
    assert {n["label"] for n in lit["nodes"] if n["highlight"]} == {"がん検診事業", "学校給食事業", "株式会社検診センター"}
    client.force_login(city.users.other_staff)
    theirs = client.get("/impact/map/data/").json()
    assert {n["label"] for n in theirs["nodes"] if n["type"] == "program"} == {"住民基本台帳管理事業"}
