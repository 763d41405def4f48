"""Issue 12, item 4: the audit log and every record's history read as Japanese.

What a stored value reads as (a table of model, field, stored value → words), the record's kind and
name (events written before the models had names too), the filters by 種類 and 操作 in Japanese, the
paginated log sorted by 日時, every model's name, and the report year given as 令和N年度.
"""
import datetime

import lxml.html
import pytest
from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from mamori.core import audit
from mamori.core.calendar import DateInputError, parse_fiscal_year
from mamori.core.concurrency import Change as StaleChange
from mamori.core.concurrency import Edit, StaleEdit
from mamori.core.forms import AuditFilterForm, record_kinds
from mamori.core.models import AuditEvent
from mamori.disclosure import services as disclosure
from mamori.disclosure.models import Request
from mamori.incidents import services as incidents
from mamori.outsourcing import services as outsourcing
from mamori.outsourcing.models import Inspection
from mamori.outsourcing.rules import CHECKLIST
from mamori.register.tests.test_workflow import draft_change

D = datetime.date


def words(label: str, field: str, value) -> str:
    model = apps.get_model(label)
    return audit.value_text(audit.field_label(model, field)[0], value)


# (model, field, value as the audit stored it → what a person reads)
VALUES = [
    # dates as ISO text (audit._plain), 令和元年 for the era's first year, a moment in local time
    ("incidents.Incident", "learned_on", "2024-02-26", "令和6年2月26日"),
    ("disclosure.Request", "received_on", "2019-05-01", "令和元年5月1日"),
    ("disclosure.Request", "received_on", "2019-04-30", "平成31年4月30日"),
    ("register.Notification", "created_at", "2024-06-03T01:30:00.123456+00:00", "令和6年6月3日 10:30"),
    ("council.Meeting", "start_time", "14:30:00", "午後2時30分"),
    ("council.Meeting", "fiscal_year", 2024, "令和6年度"),
    ("outsourcing.Inspection", "fiscal_year", 2019, "令和元年度"),
    # booleans, and the null-boolean's empty
    ("incidents.Incident", "malicious", False, "いいえ"),
    ("incidents.Incident", "encrypted", True, "はい"),
    ("incidents.Incident", "override_reportable", None, "（空欄）"),
    # choices by their label
    ("disclosure.Request", "procedure", "public-request", "公文書公開請求"),
    ("disclosure.RequestDocument", "decision", "partial", "部分公開（部分開示）"),
    ("incidents.Incident", "notice_exception", "difficult", "通知が困難で代替措置（公表等）を講じる"),
    ("core.OrgUnit", "kind", "division", "部"),
    ("outsourcing.Contract", "kind", "sub", "再委託"),
    # lists as a person lists names
    ("incidents.Incident", "items", ["氏名", "住所"], "「氏名」、「住所」"),
    ("outsourcing.Contract", "items", ["生年月日"], "「生年月日」"),
    # empty values
    ("incidents.Incident", "items", [], "（空欄）"),
    ("incidents.Incident", "cause", "", "（空欄）"),
    ("incidents.Incident", "sokuhou_on", None, "（空欄）"),
    ("outsourcing.FormReceipt", "details", {}, "（空欄）"),
    # numbers as counts are written; a foreign key stored as its record's name stays that name
    ("register.ProgramVersion", "person_count", 12073, "12,073"),
    ("outsourcing.Contract", "contractor", "株式会社テスト", "株式会社テスト"),
    # an old event's foreign key to a record that is gone: its kind and ID
    ("outsourcing.Finding", "inspection", "Inspection object (999999)", "検査（別紙4）（ID 999999）"),
    ("disclosure.RequestDocument", "request", "Request object (999999)", "請求（ID 999999）"),
]


@pytest.mark.parametrize(("label", "field", "stored", "shown"), VALUES)
def test_a_stored_value_reads_as_a_person_writes_it(db, label, field, stored, shown):
    assert words(label, field, stored) == shown


# (model, stored key → its label)
LABELS = [
    ("incidents.Incident", "learned_on", "職員が知った日"),
    ("incidents.Incident", "malicious", "不正の目的によるおそれ（不正アクセス・盗難等）"),
    ("incidents.Incident", "groups", "本人の区分と人数"),           # a key the incident's version adds (VERSION_LABELS)
    ("incidents.Incident", "programs", "関係する事務事業"),
    ("disclosure.RequestDocument", "request", "請求"),             # a relation Django named in English: the related kind
    ("disclosure.ClockEvent", "created_at", "登録日時"),
    ("disclosure.Request", "departments", "担当課"),
    ("council.Meeting", "notifications", "届出"),
    ("core.OrgUnit", "path", "組織の階層（内部の番号）"),
    ("core.User", "last_login", "最終ログイン"),                   # Django's own fields, in Django's Japanese
]


@pytest.mark.parametrize(("label", "key", "shown"), LABELS)
def test_a_stored_key_reads_as_its_label(label, key, shown):
    assert audit.field_label(apps.get_model(label), key)[1] == shown


def test_foreign_keys_and_codes_read_as_the_records_name(city):
    """Old events stored a nameless record's Django name; a request's departments are stored as unit codes."""
    contract = outsourcing.contract_save(actor=city.users.office, program=city.programs.teate,
                                         contractor=outsourcing.contractor_save(actor=city.users.office, name="株式会社テスト"),
                                         kind="outsourcing", title="学校給食調理業務委託", starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31))
    inspection = outsourcing.inspection_save(actor=city.users.office, contract=contract, fiscal_year=2024, method="onsite",
                                             inspected_on=D(2024, 10, 1), results={str(n): {"result": "ok"} for n, *_ in CHECKLIST})
    assert words("outsourcing.Finding", "inspection", f"Inspection object ({inspection.pk})") == "令和6年度の実地検査（学校給食調理業務委託）"
    assert words("disclosure.Request", "departments", ["kyufu", "nozei"]) == "「こども・健康部 こども未来課 こども給付係」、「総務部 収納課 納税係」"
    assert words("incidents.Incident", "programs", [city.programs.teate.code]) == "「児童手当給付事業」"


def old_event(**fields) -> AuditEvent:
    """An event as the services wrote it before the models had names (no service writes one like this today)."""
    return AuditEvent.objects.create(actor_name="保護 一郎", **fields)


def test_events_already_stored_read_well(city):
    contract = outsourcing.contract_save(actor=city.users.office, program=city.programs.teate,
                                         contractor=outsourcing.contractor_save(actor=city.users.office, name="株式会社テスト"),
                                         kind="outsourcing", title="学校給食調理業務委託", starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31))
    receipt = outsourcing.form_receive(actor=city.users.office, contract=contract, form="1", received_on=D(2024, 4, 5))
    still_there = old_event(action="create", model="outsourcing.FormReceipt", object_id=str(receipt.pk),
                            object_repr=f"FormReceipt object ({receipt.pk})", summary="別紙1 保護管理者及び保護担当者届",
                            after={"contract": f"Contract object ({contract.pk})", "form": "1", "received_on": "2024-04-05", "details": {}})
    gone = old_event(action="update", model="incidents.Incident", object_id="999999", object_repr="Incident object (999999)",
                     summary="期限 2025-01-06、実地検査（2023年度）",
                     before={"learned_on": "2024-02-26", "malicious": False, "items": ["氏名"], "notice_exception": ""},
                     after={"learned_on": "2024-02-27", "malicious": True, "items": ["氏名", "住所"], "notice_exception": "difficult"})
    first, second = audit.present([still_there, gone])
    assert first.title == "受注者の提出書類（別紙1〜3）『別紙1 保護管理者及び保護担当者届（学校給食調理業務委託）』"
    assert first.created and [(c.label, c.before, c.after) for c in first.changes] == [
        ("委託契約", None, "学校給食調理業務委託（株式会社テスト）"), ("様式", None, "別紙1 保護管理者及び保護担当者届"),
        ("受領日", None, "令和6年4月5日"),
    ]
    assert second.title == "漏えい等事案『漏えい等事案（ID 999999）』" and second.action_label == "更新"
    assert second.summary_text == "期限 令和7年1月6日、実地検査（令和5年度）"
    assert [(c.label, c.before, c.after) for c in second.changes] == [
        ("職員が知った日", "令和6年2月26日", "令和6年2月27日"),
        ("不正の目的によるおそれ（不正アクセス・盗難等）", "いいえ", "はい"),
        ("漏えい等した項目", "「氏名」", "「氏名」、「住所」"),
        ("本人通知の例外（法第68条第2項）", "（空欄）", "通知が困難で代替措置（公表等）を講じる"),
    ]


def test_structured_fields_are_described_by_their_app(city):
    """A 届出's proposed content reads as its 新旧対照; an inspection's checklist item by item (contributions.py)."""
    n = draft_change(city)
    event = AuditEvent.objects.filter(model="register.Notification", object_id=str(n.pk)).get()
    shown = {c.label: c.after for c in audit.present([event])[0].changes}
    assert shown["届出後の内容・事務事業名"] == "児童手当給付事業" and not any("{" in (text or "") for text in shown.values())
    contract = outsourcing.contract_save(actor=city.users.office, program=city.programs.teate,
                                         contractor=outsourcing.contractor_save(actor=city.users.office, name="株式会社テスト"),
                                         kind="outsourcing", title="運用", starts_on=D(2024, 4, 1), ends_on=D(2025, 3, 31))
    results = {str(n): {"result": "ok", "comment": ""} for n, *_ in CHECKLIST} | {"7": {"result": "na", "comment": "再委託なし"}}
    inspection = outsourcing.inspection_save(actor=city.users.office, contract=contract, fiscal_year=2024, method="onsite",
                                             inspected_on=D(2024, 10, 1), results=results)
    line = audit.present([AuditEvent.objects.filter(model="outsourcing.Inspection", object_id=str(inspection.pk)).get()])[0]
    shown = {c.label: c.after for c in line.changes}
    assert shown["点検結果・1 受注者からの提出物の確認（全般）"] == "適"
    assert shown["点検結果・7 再受注の確認"] == "該当なし（再委託なし）"
    assert shown["年度"] == "令和6年度" and line.title == f"検査（別紙4）『{Inspection.objects.get().__str__()}』"


def test_every_model_has_a_japanese_kind_and_a_name_of_its_own(demo):
    """No 「… object (n)」: every model of the project names its records; a request by its number, never its requester."""
    mine = [m for m in apps.get_models() if m.__module__.startswith("mamori.")]
    assert len(mine) > 30
    for model in mine:
        assert model.__str__ is not models.Model.__str__, f"{model._meta.label} has no __str__"
        assert audit._japanese(audit.kind_name(model._meta.label)), f"{model._meta.label} has no Japanese kind"
    with_rows = 0
    for model in mine:
        for obj in model._default_manager.all()[:20]:
            text = str(obj)
            assert text and not audit.DEFAULT_REPR.match(text), (model._meta.label, text)
            # in Japanese; only a user may be named by an ASCII login name (one without a display name)
            assert audit._japanese(text) or model._meta.label == "core.User", (model._meta.label, text)
            with_rows += 1
    assert with_rows > 300

    for r in Request.objects.all():
        assert r.requester_name not in str(r) and r.number in str(r)


def test_the_filters_speak_japanese(client, city):
    n = draft_change(city)
    r = disclosure.request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
                                  received_on=D(2024, 6, 3), requester_name="請求 花子", subject="記録", documents=[(city.units.kyufu, "認定台帳")])
    notification_events = set(AuditEvent.objects.filter(model="register.Notification").values_list("pk", flat=True))
    assert notification_events
    client.force_login(city.users.auditor)
    for params in ({"q": "届出"}, {"model": "届出"}, {"subject": "register.Notification"}):
        found = set(client.get("/audit/", params).context["page"].paginator.object_list.values_list("pk", flat=True))
        assert notification_events <= found, params
        assert not found & set(AuditEvent.objects.filter(model="disclosure.Request").values_list("pk", flat=True)), params
    form = AuditFilterForm()
    kinds = dict(record_kinds())
    assert kinds["register.Notification"] == "届出" and kinds["outsourcing.FormReceipt"] == "受注者の提出書類（別紙1〜3）"
    assert all(audit._japanese(name) for name in kinds.values())
    groups = dict(form.fields["subject"].choices[1:])
    assert ("register.Notification", "届出") in groups["個人情報取扱管理簿"]
    assert all(audit._japanese(str(label)) for _, label in form.fields["verb"].choices)
    page = client.get("/audit/", {"subject": "disclosure.Request"}).content.decode()
    table = lxml.html.fromstring(page).xpath("//table")[0].text_content()
    assert f"請求『{r}』" in table and "disclosure" not in table and " #" not in table
    assert "請求 花子" not in page  # the requester's name never reaches the log
    assert n.number in client.get("/audit/", {"q": "届出"}).content.decode()


def test_the_log_is_paginated_with_its_total_and_sorted_by_time(client, city):
    with transaction.atomic():
        for i in range(60):
            audit.record(actor=city.users.office, action="comment", model="register.Notification", object_id=str(1000 + i),
                         object_repr=f"2024-{i:04d} 新規 事業{i}")
    total = AuditEvent.objects.count()
    client.force_login(city.users.office)
    response = client.get("/audit/")
    page = response.content.decode()
    assert f"全{total:,}件" in page and "1〜50件目" in page and 'aria-sort="descending"' in page
    newest = response.context["page"].object_list[0]
    assert newest.pk == AuditEvent.objects.order_by("-at", "-pk").first().pk
    oldest = client.get("/audit/", {"sort": "at"}).context["page"].object_list[0]
    assert oldest.pk == AuditEvent.objects.order_by("at", "pk").first().pk
    second = client.get("/audit/", {"page": 2}).context["page"]
    assert second.number == 2 and len(second.object_list) == min(50, total - 50) and total > 100
    assert "令和" in page and timezone.localtime(newest.at).strftime("%H:%M") in page


def test_a_records_page_is_named_in_japanese(client, city):
    incident = incidents.incident_save(actor=city.users.office, title="誤送付事案", summary="通知の誤送付", unit=city.units.kyufu,
                                       learned_on=D(2024, 7, 1), items=["氏名", "住所"], groups=[("受給者", 3)])
    client.force_login(city.users.auditor)
    page = client.get(f"/audit/incidents.Incident/{incident.pk}/").content.decode()
    assert "漏えい等事案『誤送付事案』の履歴" in page
    assert "職員が知った日" in page and "令和6年7月1日" in page and "「氏名」、「住所」" in page
    assert "learned_on" not in page and "2024-07-01" not in page and "incidents.Incident #" not in page
    # a record without events of its own: no name looked up (the log does not read records for anyone)
    assert "ID 424242" in client.get("/audit/incidents.Incident/424242/").content.decode()


def test_the_stale_edit_box_uses_the_same_words():
    at = timezone.make_aware(datetime.datetime(2025, 1, 6, 9, 5))
    exc = StaleEdit(changes=[StaleChange("職員が知った日", "令和6年2月26日", "令和6年2月27日")],
                    edits=[Edit("保護 一郎", at, "更新", "")], token="t")
    assert "保護 一郎（令和7年1月6日 09:05）が" in exc.text()
    assert audit.value_text(None, ["氏名", "住所"], limit=5) == "「氏名」、…"


# (typed or picked → the 年度's starting year)
FISCAL_YEARS = [("令和6年度", 2024), ("R6", 2024), ("r6", 2024), ("令6", 2024), ("令和元年度", 2019), ("平成31年度", 2019),
                ("平成30年度", 2018), ("2024", 2024), ("２０２４年度", 2024), (" 令和 ６ 年度 ", 2024), ("", None)]


@pytest.mark.parametrize(("text", "year"), FISCAL_YEARS)
def test_a_fiscal_year_is_read_as_a_person_writes_it(text, year):
    assert parse_fiscal_year(text) == year


@pytest.mark.parametrize("text", ["令和九年度", "平成32年度", "1888", "6年度", "R6.4.1"])
def test_a_fiscal_year_that_cannot_be_read_says_how_to_write_it(text):
    with pytest.raises(DateInputError, match="令和6年度、R6、2024"):
        parse_fiscal_year(text)


def test_the_report_download_takes_the_year_in_wareki(client, city):
    disclosure.request_create(actor=city.users.office, procedure="public-request", organ=city.organ, departments=[city.units.kyufu],
                              received_on=D(2024, 6, 3), requester_name="請求 花子", subject="記録", documents=[(city.units.kyufu, "認定台帳")])
    client.force_login(city.users.office)
    files = [client.get("/requests/report/", {"fiscal_year": year, "format": "json"}) for year in ("令和6年度", "R6", "2024")]
    assert all(f.status_code == 200 for f in files) and len({f.content for f in files}) == 1
    refused = client.get("/requests/report/", {"fiscal_year": "令和九年度", "format": "xlsx"}, follow=True)
    text = refused.content.decode()
    assert "年度として読めません" in text and "令和6年度、R6、2024" in text and "西暦" not in text
    dashboard = client.get("/requests/").content.decode()
    assert '<option value="2024"' in dashboard and "令和6年度</option>" in dashboard and "年度（西暦）" not in dashboard


def test_an_event_without_a_record_id_is_shown_without_a_link(client, city):
    """A lockout for a name that is no account (core.services) has no record to open: the log still shows it."""
    with transaction.atomic():
        audit.record(actor=None, action="lockout", model="core.User", object_id="", object_repr="（存在しない利用者名）",
                     summary="ログインの失敗が続いたため停止（接続元 203.0.113.7）")
    client.force_login(city.users.auditor)
    response = client.get("/audit/", {"verb": "lockout"})
    assert response.status_code == 200
    row = lxml.html.fromstring(response.content.decode()).xpath("//table//tbody/tr")[0]
    assert "利用者『（存在しない利用者名）』" in row.text_content() and not row.xpath(".//a")
