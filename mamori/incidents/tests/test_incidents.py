"""Incidents and training: the seed's 資料4 and 資料6, the PPC draft, bad input, the CLI, untrained staff."""
import io
import json

import docx
import pdfplumber
from django.core.management import call_command

from mamori.core.concurrency import token_for
from mamori.incidents.models import Incident
from mamori.incidents.reports import build as build_incidents
from mamori.training.reports import build as build_training

SEED_6 = [("報告件数", "１件"), ("該当部署", "教育管理課"),
          ("概要", "教職員や生徒の検診の委託先である「公益財団法人埼玉県健康づくり事業団」が保有するシステムが不正アクセス攻撃を受け、検診データが漏えいしたおそれがあった（小中学校児童生徒１２，０７３人、教職員２９８人）。"),
          ("報告事由", "要配慮個人情報を含む、不正の目的、該当者数１００人超"), ("速報日", "令和６年２月２９日"), ("確報日", "令和６年４月４日"),
          ("本人通知", "学校を通じてメールにて通知（卒業生、転出者等については、市ホームページにて通知文書を公表する）。")]
SEED_4 = [["4月4日", "新規採用職員前期研修", "21人"], ["5月9日", "情報公開制度・個人情報保護制度事務研修会（対象者：係長・各課で選任した保護担当者）", "96人"],
          ["7月13日", "個人情報保護制度研修会（対象者：入庁２年目職員）", "29人"], ["11月1日", "新規採用職員後期研修", "35人"]]


def test_demo_reproduces_the_seeds_shiryo4_and_shiryo6(demo):
    d = docx.Document(io.BytesIO(build_incidents(2023, "docx")))
    assert [tuple(c.text for c in row.cells) for row in d.tables[0].rows] == SEED_6
    assert "令和５年度 個人情報保護委員会への漏えい等の報告" in [p.text for p in d.paragraphs]
    data = json.loads(build_incidents(2023, "json"))
    assert data["count"] == 1 and data["incidents"][0]["triggers"] == "要配慮個人情報を含む、不正の目的、該当者数１００人超"
    t = docx.Document(io.BytesIO(build_training(2023, "docx")))
    assert [[c.text for c in row.cells] for row in t.tables[0].rows][1:] == SEED_4
    pdf = pdfplumber.open(io.BytesIO(build_training(2023, "pdf"))).pages[0]
    assert [[c.replace("\n", "") for c in row] for row in pdf.extract_tables()[0][1:]] == SEED_4  # a long name wraps in its cell
    assert json.loads(build_training(2023, "json"))["total"] == 181


def test_ppc_draft_has_the_nine_items(client, demo):
    from mamori.core.models import User

    client.force_login(User.objects.get(username="hogo"))
    incident = Incident.objects.get()
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "規則第43条第1号 要配慮個人情報" in page and "本人の数が12,371人で、100人を超えます。" in page
    assert "確報は60日以内（規則第44条第2項、不正の目的のため60日）" in page
    d = docx.Document(io.BytesIO(client.get(f"/incidents/{incident.pk}/ppc/kakuhou.docx").content))
    rows = [[c.text for c in row.cells] for row in d.tables[0].rows]
    assert len(rows) == 9 and rows[2] == ["3 本人の数", "12,371人（小中学校児童生徒12,073人、教職員298人）"]
    assert rows[1][1].startswith("氏名") and "検診の結果" in rows[1][1]  # the items come from the register
    # A school matter is reported by its 実施機関, the 教育委員会, not by the city's 市長部局 (issue 12).
    lines = [p.text for p in d.paragraphs]
    assert "報告者（実施機関）：朝霞市教育委員会" in lines and "担当部署：学校教育部 教育管理課 教育管理係" in lines
    text = pdfplumber.open(io.BytesIO(client.get(f"/incidents/{incident.pk}/ppc/sokuhou.pdf").content)).pages[0].extract_text()
    assert "漏えい等報告（速報）案" in text and "規則第43条第3号（不正の目的）" in text
    assert "報告者（実施機関）：朝霞市教育委員会" in text


def test_bad_input_changes_nothing(client, city):
    client.force_login(city.users.office)
    base = {"title": "誤送付", "summary": "通知の誤送付", "occurred_on": "2024-06-10", "learned_on": "2024-06-09", "unit": city.units.kyufu.pk,
            "groups_text": "受給者,1", "program_codes": city.programs.teate.code}
    page = client.post("/incidents/new/", base).content.decode()
    assert "知った日（令和6年6月9日）が発生日（令和6年6月10日）より前です。" in page
    page = client.post("/incidents/new/", base | {"learned_on": "2024-06-11", "groups_text": "受給者,-3"}).content.decode()
    assert "1行目の人数は0以上で入力してください。" in page
    page = client.post("/incidents/new/", base | {"learned_on": "2024-06-11", "sokuhou_on": "2024-06-14", "kakuhou_on": "2024-06-13"}).content.decode()
    assert "確報日（令和6年6月13日）が速報日（令和6年6月14日）より前です。" in page
    assert not Incident.objects.exists()
    response = client.post("/incidents/new/", base | {"learned_on": "2024-06-11"})
    incident = Incident.objects.get()
    assert response.status_code == 302 and "マイナンバー" in incident.items  # items from the register's program
    seen = token_for(incident)  # the version on the page the office confirms from
    page = client.post(f"/incidents/{incident.pk}/confirm/", {"override": "yes", "note": "", "base_version": seen}, follow=True).content.decode()
    assert "判断を上書きするときは、その理由を書いてください。" in page
    client.post(f"/incidents/{incident.pk}/confirm/", {"override": "yes", "note": "特定個人情報を含むため念のため報告する", "base_version": seen})
    incident.refresh_from_db()
    assert incident.confirmed and incident.override_reportable is True


def test_assess_cli(city, tmp_path, capsys):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"learned_on": "2024-12-01", "items": ["氏名", "傷病名・傷病歴"], "groups": [{"name": "患者", "count": 101}]}), encoding="utf-8")
    call_command("incident", "assess", str(facts), "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["reportable"] and [t["key"] for t in out["triggers"] if t["applies"]] == ["sensitive", "over100"]
    assert out["kakuhou_due"] == "2025-01-06"  # day 30 = 12/30 → after 年末年始


def test_untrained_staff_of_my_number_units(client, city):
    from mamori.training.selectors import untrained_my_number_staff
    from mamori.training.services import session_save

    names = {u.username for u in untrained_my_number_staff(2024)}
    assert {"staff", "manager"} <= names and "other" not in names  # 児童手当 (こども未来課) holds マイナンバー; 収納課 does not
    import datetime

    session_save(actor=city.users.office, held_on=datetime.date(2024, 5, 1), name="番号法研修", participants=1, attendees=[city.users.staff])
    assert "staff" not in {u.username for u in untrained_my_number_staff(2024)}


def test_contractor_report_becomes_an_incident_and_clocks_are_reminded(client, city, settings):
    import datetime

    from django.core import mail

    from mamori.outsourcing import services as outsourcing

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    city.users.office.email = "office@example.jp"
    city.users.office.save()
    acme = outsourcing.contractor_save(actor=city.users.office, name="株式会社テスト", corporate_number="1180301018771")
    contract = outsourcing.contract_save(actor=city.users.office, program=city.programs.teate, contractor=acme, kind="outsourcing", title="運用",
                                         starts_on=datetime.date(2024, 4, 1), ends_on=datetime.date(2025, 3, 31))
    report = outsourcing.incident_report(actor=city.users.office, contract=contract, reported_on=datetime.date(2024, 6, 3), summary="誤送付があった")
    client.force_login(city.users.office)
    assert ">事案として記録<" in client.get("/incidents/").content.decode()
    page = client.get(f"/incidents/new/?contract_report={report.pk}").content.decode()
    assert "株式会社テストからの事故報告" in page and "誤送付があった" in page
    client.post(f"/incidents/new/?contract_report={report.pk}", {"title": "株式会社テストからの事故報告", "summary": "誤送付があった",
                                                                 "learned_on": "2024-06-03", "unit": city.units.kyufu.pk, "groups_text": "受給者,150",
                                                                 "program_codes": city.programs.teate.code})
    incident = Incident.objects.get()
    assert incident.contract == contract
    assert ">事案として記録<" not in client.get("/incidents/").content.decode()
    call_command("remind", "--today", "2024-06-05", stdout=open("/dev/null", "w"))
    (message,) = mail.outbox
    assert "速報が未送付（目安 令和6年6月7日（金））" in message.body and "確報の期限 令和6年7月2日（火）" in message.body


def test_training_screen_records_attendees_and_refuses_a_wrong_count(client, city):
    from mamori.training.models import TrainingSession

    client.force_login(city.users.office)
    page = client.post("/training/", {"held_on": "2024-05-01", "name": "番号法研修", "participants": "1",
                                      "attendees": [city.users.staff.pk, city.users.manager.pk]}).content.decode()
    assert "参加者数（1人）が参加した職員の一覧（2人）より少なくなっています。" in page and not TrainingSession.objects.exists()
    client.post("/training/", {"held_on": "2024-05-01", "name": "番号法研修", "participants": "2", "attendees": [city.users.staff.pk, city.users.manager.pk]})
    assert set(TrainingSession.objects.get().attendees.values_list("username", flat=True)) == {"staff", "manager"}
