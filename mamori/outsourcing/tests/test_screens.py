"""Outsourcing screens: inspections with the checklist, findings, receipts, disposal, incidents, printed 別紙."""
import datetime
import io

import docx
import lxml.html
import pdfplumber
import pytest

from mamori.core.concurrency import token_for
from mamori.outsourcing import services
from mamori.outsourcing.models import Contract, Disposal
from mamori.outsourcing.tests.test_outsourcing import setup  # noqa: F401  (fixture)


@pytest.fixture
def contract(client, city, setup):  # noqa: F811
    client.force_login(city.users.staff)  # the department that runs the program manages its contracts
    return setup[3]


def checklist_post(ng_item=None, comment=""):
    data = {"insp-fiscal_year": "2024", "insp-method": "onsite", "insp-inspected_on": "2024-10-01",
            "insp-city_inspectors": "こども未来課 主査 山田", "insp-contractor_staff": "保護管理者 佐藤"}
    for n in range(1, 12):
        data[f"insp-r{n}"] = "na" if n == 7 else "ok"
    if ng_item:
        data[f"insp-r{ng_item}"] = "ng"
        data[f"insp-c{ng_item}"] = comment
    return data


def test_inspection_with_a_ng_then_its_corrective_action(client, contract):
    page = client.post(f"/outsourcing/contracts/{contract.pk}/inspections/", checklist_post(5)).content.decode()
    assert "点検項目5は「否」です。コメントに不適合の内容を書いてください。" in page and not contract.inspections.exists()
    client.post(f"/outsourcing/contracts/{contract.pk}/inspections/", checklist_post(5, "保管庫が施錠されていなかった"))
    inspection = contract.inspections.get()
    finding = inspection.findings.get()
    f = f"fnd{finding.pk}"  # each finding's form, with the version it was opened on
    client.post(f"/outsourcing/contracts/{contract.pk}/findings/{finding.pk}/", {f"{f}-action": "施錠の点検簿を作り毎日確認する", f"{f}-due_on": "2024-10-31",
                                                                               f"{f}-done_on": "2024-10-25", f"{f}-base_version": token_for(finding)})
    finding.refresh_from_db()
    assert finding.action == "施錠の点検簿を作り毎日確認する" and str(finding.done_on) == "2024-10-25"
    pdf = pdfplumber.open(io.BytesIO(client.get(f"/outsourcing/contracts/{contract.pk}/inspections/{inspection.pk}.pdf").content)).pages[0]
    text = pdf.extract_text()
    assert "個人情報取扱状況の確認書" in text and "実地検査（市職員による検査）" in text
    rows = [r for r in pdf.extract_tables()[1] if r[0] == "5"]
    assert [cell.replace("\n", "") for cell in rows[0][3:]] == ["否", "保管庫が施錠されていなかった"]  # wrapped by the layout
    d = docx.Document(io.BytesIO(client.get(f"/outsourcing/contracts/{contract.pk}/inspections/{inspection.pk}.docx").content))
    table = [[c.text for c in row.cells] for row in d.tables[1].rows]
    assert table[7][0] == "7" and table[7][3] == "該当なし" and "第１０条" in table[7][1]


def test_prefilled_forms_and_receipts(client, contract):
    lines = [p.text for p in docx.Document(io.BytesIO(client.get(f"/outsourcing/contracts/{contract.pk}/forms/3.docx").content)).paragraphs]
    assert "受注業務に係る個人情報の預かり書" in lines and "（業務名　システム運用）" in lines
    assert "１　個人情報の名称　児童手当給付事業の氏名、住所" in lines and "名称　株式会社テスト" in lines
    client.post(f"/outsourcing/contracts/{contract.pk}/receipts/", {"rcpt-form": "3", "rcpt-received_on": "2024-04-03", "rcpt-name": "受給者名簿",
                                                                     "rcpt-media": "ＣＤ", "rcpt-place": "受注者本社 施錠保管庫", "rcpt-return_on": "2025-03-31"})
    receipt = contract.forms.get()
    assert receipt.form == "3" and receipt.details == {"name": "受給者名簿", "media": "ＣＤ", "media_other": "", "place": "受注者本社 施錠保管庫", "return_on": "2025-03-31"}
    assert "保管場所：受注者本社 施錠保管庫" in client.get(f"/outsourcing/contracts/{contract.pk}/").content.decode()


def test_disposal_and_incident(client, contract):
    new = token_for(None, Disposal)  # the version of a disposal not recorded yet, as the page gives it
    page = client.post(f"/outsourcing/contracts/{contract.pk}/disposal/", {"disp-method": "erase", "disp-done_on": "2024-01-01", "disp-person": "佐藤",
                                                                          "disp-base_version": new}).content.decode()
    assert "契約の開始（令和6年4月1日）より前です" in page and 'value="佐藤"' in page  # beside its field, with what was typed
    client.post(f"/outsourcing/contracts/{contract.pk}/disposal/", {"disp-method": "destroy", "disp-done_on": "2025-03-31", "disp-person": "佐藤",
                                                                     "disp-report_received_on": "2025-04-02", "disp-base_version": new})
    contract.refresh_from_db()
    assert contract.disposal.get_method_display() == "廃棄"
    client.post(f"/outsourcing/contracts/{contract.pk}/incidents/", {"inc-reported_on": "2024-08-02", "inc-occurred_on": "2024-08-01", "inc-summary": "誤送付"})
    assert contract.incident_reports.get().summary == "誤送付"


def test_other_department_cannot_see_the_contract(client, city, contract):
    client.force_login(city.users.other_staff)
    assert client.get(f"/outsourcing/contracts/{contract.pk}/").status_code == 404
    assert client.post(f"/outsourcing/contracts/{contract.pk}/incidents/", {"inc-reported_on": "2024-08-02", "inc-summary": "x"}).status_code == 404
    assert Contract.objects.get(pk=contract.pk).incident_reports.count() == 0


def test_a_checklist_with_one_item_missing_keeps_every_answer(client, contract):
    data = checklist_post(5, "保管庫が施錠されていなかった")
    data.pop("insp-r9")  # answered 10 of 11
    data["insp-c2"] = "マニュアルは令和5年版"
    response = client.post(f"/outsourcing/contracts/{contract.pk}/inspections/", data)
    assert response.status_code == 200 and not contract.inspections.exists()
    page = lxml.html.fromstring(response.content.decode())
    form = next(f for f in page.forms if f.action.endswith("/inspections/"))
    values = dict(form.form_values())
    for n in range(1, 12):
        assert values.get(f"insp-r{n}", "") == ("" if n == 9 else data[f"insp-r{n}"]), n  # every answer as typed
    assert values["insp-c5"] == "保管庫が施錠されていなかった" and values["insp-c2"] == "マニュアルは令和5年版"
    assert values["insp-city_inspectors"] == "こども未来課 主査 山田"
    (row,) = page.xpath("//table[contains(@class, 'checklist-table')]//tr[contains(@class, 'has-error')]")
    assert "9 報告体制の整備" in row.text_content() and "点検項目9（報告体制の整備）の結果を 適・否・該当なし から選んでください。" in row.text_content()
    assert page.xpath("//details[.//form[contains(@action, '/inspections/')]]/@open")  # the folded section comes back open
    assert "別紙4の回答に直すところがあります（点検項目9）" in form.text_content()


def test_correcting_a_contract_on_its_page(client, city, setup):  # noqa: F811
    office, _, sub_company, main = setup
    sub = services.contract_save(actor=office, program=city.programs.teate, contractor=sub_company, kind="sub", parent=main, title="データ入力",
                                 starts_on=datetime.date(2024, 5, 1), ends_on=datetime.date(2025, 3, 31))
    client.force_login(city.users.staff)
    assert "書面承認の記録がありません" in client.get(f"/outsourcing/contracts/{sub.pk}/").content.decode()
    page = lxml.html.fromstring(client.get(f"/outsourcing/contracts/{sub.pk}/edit/").content.decode())
    data = {k: v for k, v in page.forms[-1].form_values()}
    assert data["parent"] == str(main.pk) and data["title"] == "データ入力"
    refused = client.post(f"/outsourcing/contracts/{sub.pk}/edit/", data | {"approved_on": "令和6年3月1日"}).content.decode()
    assert "再委託の承認日（令和6年3月1日）が元の契約の開始（令和6年4月1日）より前です。" in refused and 'value="令和6年3月1日"' in refused
    assert client.post(f"/outsourcing/contracts/{sub.pk}/edit/", data | {"approved_on": "R6.4.20"}).status_code == 302
    page = client.get(f"/outsourcing/contracts/{sub.pk}/").content.decode()
    assert "書面承認の記録がありません" not in page and "令和6年4月20日（土）に書面で承認" in page
    assert "訂正：再委託の書面承認日（特記事項第10条）" in page  # the history's line


def test_long_text_says_its_limit_and_keeps_the_text(client, city, setup):  # noqa: F811
    _, acme, _, _ = setup
    client.force_login(city.users.office)
    page = lxml.html.fromstring(client.get(f"/outsourcing/contractors/{acme.pk}/edit/").content.decode())
    data = dict(page.forms[-1].form_values()) | {"note": "あ" * 2001}
    response = client.post(f"/outsourcing/contractors/{acme.pk}/edit/", data)
    text = response.content.decode()
    assert response.status_code == 200 and "2,000文字以内で入力してください（いまは2,001文字です）。" in text and "あ" * 2001 in text
    assert "2,000文字まで。" in text and 'maxlength="2000"' not in text  # said beside the field; no silent cut by the browser
