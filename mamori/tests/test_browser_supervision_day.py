"""A clerk's day in contractor supervision, incidents and training (issue 12), in a real browser: a correction
after the fact clears its warning and shows in the history; forms that come back keep what was typed, open, with
the message beside its field; the home page's entries lead to lists filtered to what they count; the 確認 asks
first; the contract list pages and sorts past 100 contracts. axe-core checks every page."""
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.core.calendar import fiscal_year
from mamori.incidents import services as incidents
from mamori.incidents.models import Incident
from mamori.outsourcing import services as outsourcing
from mamori.outsourcing.models import Contract
from mamori.outsourcing.rules import CHECKLIST
from mamori.tests.conftest import login
from mamori.training import services as training
from mamori.training.models import TrainingSession

pytestmark = pytest.mark.browser
DAY = datetime.timedelta(days=1)


@pytest.fixture
def chain(city):
    """An 委託 and its 再委託 in force, the 再委託 recorded without its 書面承認日."""
    office, today = city.users.office, timezone.localdate()
    acme = outsourcing.contractor_save(actor=office, name="株式会社テスト", corporate_number="1180301018771")
    sub_co = outsourcing.contractor_save(actor=office, name="株式会社再受注", corporate_number="7000012050002")
    main = outsourcing.contract_save(actor=office, program=city.programs.teate, contractor=acme, kind="outsourcing", title="システム運用",
                                     starts_on=today - 60 * DAY, ends_on=today + 300 * DAY, items=["氏名", "住所"])
    sub = outsourcing.contract_save(actor=office, program=city.programs.teate, contractor=sub_co, kind="sub", parent=main, title="データ入力",
                                    starts_on=today - 30 * DAY, ends_on=today + 300 * DAY)
    return main, sub


def test_adding_the_approval_date_later_clears_the_warning(page, transactional_db, city, chain):
    main, sub = chain
    login(page, "staff", PASSWORD)  # the department that runs the program
    page.goto(f"/outsourcing/contracts/{sub.pk}/")
    expect(page.get_by_text("書面承認の記録がありません（特記事項第10条）。")).to_be_visible()
    page.get_by_role("link", name="契約を訂正して書面承認日を記録").click()  # from the warning itself
    expect(page.get_by_role("heading", name="契約「データ入力」の訂正")).to_be_visible()
    approval = page.get_by_label("再委託の書面承認日（特記事項第10条）")
    approval.fill(f"R{main.starts_on.year - 2018}.{main.starts_on.month}.{main.starts_on.day}")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("契約を訂正しました。")).to_be_visible()
    expect(page.get_by_text("書面承認の記録がありません")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"令和\d+年\d+月\d+日（.）に書面で承認"))).to_be_visible()
    history = page.get_by_role("region", name="履歴")
    expect(history.get_by_role("row").nth(1)).to_contain_text("更新")
    expect(history.get_by_role("row").nth(1)).to_contain_text("訂正：再委託の書面承認日（特記事項第10条）")
    page.goto("/")
    expect(page.get_by_role("heading", name=re.compile("書面承認の記録がない再委託"))).to_have_count(0)


def test_training_form_errors_keep_the_section_open_with_the_input(page, transactional_db, city):
    login(page, "office", PASSWORD)
    page.get_by_role("link", name="研修", exact=True).click()
    page.get_by_text("研修を記録", exact=True).click()
    page.get_by_label("研修名").fill("個人情報保護研修")
    page.get_by_label("対象者").fill("新規採用職員")
    page.get_by_label("参加者数").fill("-5")
    page.get_by_role("button", name="記録", exact=True).click()
    form = page.locator("details", has=page.get_by_label("研修名"))
    expect(form).to_have_attribute("open", "")
    date_field = page.locator(".field", has=page.get_by_label("日程"))
    expect(date_field).to_contain_text("日程を入力してください（例：令和6年5月1日、R6.5.1）。")
    count_field = page.locator(".field", has=page.get_by_label("参加者数"))
    expect(count_field).to_contain_text("参加者数は0以上の数で入力してください。")
    expect(page.get_by_label("研修名")).to_have_value("個人情報保護研修")
    expect(page.get_by_label("対象者")).to_have_value("新規採用職員")
    expect(page.get_by_label("参加者数")).to_have_value("-5")
    expect(page.get_by_label("日程")).to_be_focused()  # the first field in error
    page.get_by_label("日程").fill("令和6年5月1日")
    page.get_by_label("参加者数").fill("35")
    page.get_by_role("button", name="記録", exact=True).click()
    expect(page.get_by_text("研修「個人情報保護研修」を記録しました。")).to_be_visible()
    assert TrainingSession.objects.get().participants == 35


def test_a_checklist_with_one_missing_answer_keeps_all_answers(page, transactional_db, city, chain):
    main, _ = chain
    login(page, "staff", PASSWORD)
    page.goto(f"/outsourcing/contracts/{main.pk}/")
    page.get_by_text("検査を記録（書面検査の返送分も入力できます）").click()
    page.get_by_label("発注者検査実施者（所属・職名・氏名）").fill("こども未来課 主査 山田")
    answers = {n: "適" for n in range(1, 12) if n != 9}
    answers[5], answers[7] = "否", "該当なし"
    for n, label in answers.items():
        page.locator(f"#id_insp-r{n}").select_option(label=label)
    page.locator("#id_insp-c5").fill("保管庫が施錠されていなかった")
    page.locator("#id_insp-c7").fill("再委託なし")
    page.get_by_role("button", name="検査を記録").click()
    expect(page.get_by_text("別紙4の回答に直すところがあります（点検項目9）")).to_be_visible()
    row = page.locator("tr.has-error")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("9 報告体制の整備")
    expect(row).to_contain_text("点検項目9（報告体制の整備）の結果を 適・否・該当なし から選んでください。")
    values = {"適": "ok", "否": "ng", "該当なし": "na"}
    for n, label in answers.items():
        expect(page.locator(f"#id_insp-r{n}")).to_have_value(values[label])
    expect(page.locator("#id_insp-c5")).to_have_value("保管庫が施錠されていなかった")
    expect(page.locator("#id_insp-c7")).to_have_value("再委託なし")
    expect(page.get_by_label("発注者検査実施者（所属・職名・氏名）")).to_have_value("こども未来課 主査 山田")
    expect(page.locator("#id_insp-r9")).to_be_focused()
    page.locator("#id_insp-r9").select_option(label="適")
    page.get_by_role("button", name="検査を記録").click()
    expect(page.get_by_text("検査を記録しました。")).to_be_visible()
    expect(page.get_by_text("指摘（点検項目5）：保管庫が施錠されていなかった")).to_be_visible()


def test_the_office_follows_its_home_page_to_filtered_lists(page, transactional_db, city, chain):
    office, today = city.users.office, timezone.localdate()
    main, sub = chain
    outsourcing.certification_add(actor=office, contractor=main.contractor, kind="pmark", expires_on=today + 20 * DAY)
    incidents.incident_save(actor=office, title="通知書の誤送付", summary="概要", learned_on=today - 8 * DAY, unit=city.units.kyufu, groups=[("受給者", 150)])
    login(page, "office", PASSWORD)

    card = page.get_by_role("region", name=re.compile("書面承認の記録がない再委託"))
    expect(card).to_contain_text("1件")
    expect(card.get_by_role("link", name="データ入力（株式会社再受注）")).to_be_visible()
    card.get_by_role("link", name="書面承認のない再委託の一覧へ").click()
    expect(page.get_by_text("全1件（1〜1件目）")).to_be_visible()
    expect(page.get_by_text("絞り込み中：要対応：書面承認の記録がない再委託（特記事項第10条）")).to_be_visible()
    expect(page.get_by_label("要対応")).to_have_value("unapproved")
    page.get_by_role("link", name="絞り込みを解除（すべて表示）").click()
    expect(page.get_by_text("全2件（1〜2件目）")).to_be_visible()

    page.goto("/")
    card = page.get_by_role("region", name=re.compile("漏えい等の速報がまだの事案"))
    expect(card).to_contain_text("至急")
    expect(card).to_contain_text(re.compile(r"速報の目安 令和\d+年\d+月\d+日（.）・4日超過"))
    card.get_by_role("link", name="該当する事案の一覧へ").click()
    expect(page.get_by_text("全1件（1〜1件目）")).to_be_visible()
    expect(page.get_by_text("絞り込み中：報告：速報がまだの事案（報告が必要なもの）")).to_be_visible()
    expect(page.get_by_role("link", name="通知書の誤送付")).to_be_visible()

    page.goto("/")
    card = page.get_by_role("region", name=re.compile("有効期限が60日以内の認証"))
    expect(card).to_contain_text(re.compile(r"プライバシーマーク・有効期限 令和\d+年\d+月\d+日（.）・あと20日"))
    card.get_by_role("link", name="該当する委託事業者の一覧へ").click()
    expect(page.get_by_text("絞り込み中：認証：有効期限が近い認証がある事業者")).to_be_visible()
    expect(page.get_by_role("link", name="株式会社テスト")).to_be_visible()
    expect(page.get_by_role("link", name="株式会社再受注")).to_have_count(0)


def test_the_incident_confirmation_asks_first(page, transactional_db, city):
    incident = incidents.incident_save(actor=city.users.office, title="通知書の誤送付", summary="概要", learned_on=datetime.date(2024, 6, 3),
                                       unit=city.units.kyufu, groups=[("受給者", 142000)])
    login(page, "office", PASSWORD)
    page.goto(f"/incidents/{incident.pk}/")
    expect(page.get_by_text("受給者 142,000人")).to_be_visible()
    page.get_by_role("button", name="確認", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("報告の要否を「必要」")
    dialog.get_by_role("button", name="やめる").click()
    expect(dialog).to_have_count(0)
    assert not Incident.objects.get(pk=incident.pk).confirmed
    page.get_by_role("button", name="確認", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="確認する").click()
    expect(page.get_by_text("報告の要否を確認しました。")).to_be_visible()
    expect(page.get_by_text("保護担当が確認済み")).to_be_visible()
    assert Incident.objects.get(pk=incident.pk).confirmed


def test_the_contract_list_pages_and_sorts_past_100(page, transactional_db, city, chain):
    main, _ = chain
    Contract.objects.bulk_create([Contract(program=city.programs.teate, contractor=main.contractor, kind="lease", title=f"端末賃貸借{n:03d}",
                                           starts_on=datetime.date(2020, 4, 1) + n * DAY, ends_on=datetime.date(2030, 3, 31)) for n in range(120)])
    login(page, "office", PASSWORD)
    page.get_by_role("link", name="委託", exact=True).click()
    page.get_by_role("link", name=re.compile(r"契約の一覧（122件）")).click()
    expect(page.get_by_text("全122件（1〜50件目）")).to_be_visible()
    page.get_by_label("種類").select_option(label="賃貸借")
    page.get_by_role("button", name="絞り込む").click()
    expect(page.get_by_text("全120件（1〜50件目）")).to_be_visible()
    page.get_by_role("link", name=re.compile("^契約件名")).click()
    expect(page.get_by_role("columnheader", name=re.compile("契約件名"))).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("tbody tr").first).to_contain_text("端末賃貸借000")
    page.get_by_role("navigation", name="ページ送り").get_by_role("link", name="最後").click()
    expect(page.get_by_text("全120件（101〜120件目）")).to_be_visible()
    expect(page.locator("tbody tr").last).to_contain_text("端末賃貸借119")
    expect(page.get_by_text("絞り込み中：種類：賃貸借")).to_be_visible()  # the filter kept across pages
    page.get_by_role("link", name=re.compile("^契約件名")).click()  # descending, back to the first page
    expect(page.get_by_role("columnheader", name=re.compile("契約件名"))).to_have_attribute("aria-sort", "descending")
    expect(page.locator("tbody tr").first).to_contain_text("端末賃貸借119")
    expect(page.get_by_text("全120件（1〜50件目）")).to_be_visible()


def test_corrections_on_each_record_page(page, transactional_db, city, chain):
    """A certification, the 別紙4 answers and a training session, each corrected from its page; the history says what changed."""
    office, today = city.users.office, timezone.localdate()
    main, _ = chain
    outsourcing.certification_add(actor=office, contractor=main.contractor, kind="pmark", number="P-1", expires_on=today + 20 * DAY)
    results = {str(n): {"result": "ok", "comment": ""} for n, *_ in CHECKLIST} | {"5": {"result": "ng", "comment": "施錠なし（誤り）"}}
    outsourcing.inspection_save(actor=office, contract=main, fiscal_year=fiscal_year(main.starts_on),
                                method="onsite", inspected_on=main.starts_on + DAY, results=results)
    session = training.session_save(actor=office, held_on=today - 10 * DAY, name="番号法研修", participants=20)
    login(page, "office", PASSWORD)

    page.goto(f"/outsourcing/contractors/{main.contractor_id}/")
    page.get_by_role("link", name=re.compile(r"^訂正\s*（プライバシーマーク）")).click()
    page.get_by_label("有効期限").fill(f"R{today.year - 2018 + 2}.3.31")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("認証を訂正しました。")).to_be_visible()
    expect(page.get_by_role("cell", name=f"令和{today.year - 2018 + 2}年3月31日")).to_be_visible()
    expect(page.get_by_role("region", name="履歴")).to_contain_text("訂正：有効期限")

    page.goto(f"/outsourcing/contracts/{main.pk}/")
    expect(page.get_by_text("指摘（点検項目5）：施錠なし（誤り）")).to_be_visible()
    page.get_by_role("link", name="回答を訂正").click()
    page.locator("#id_r5").select_option(label="適")
    page.locator("#id_c5").fill("")
    page.get_by_role("button", name="訂正を保存").click()
    expect(page.get_by_text("検査の記録を訂正しました。")).to_be_visible()
    expect(page.get_by_text("指摘（点検項目5）")).to_have_count(0)
    expect(page.get_by_role("region", name="履歴")).to_contain_text("点検項目5（否→適）")
    page.goto("/outsourcing/inspections/?findings=open")
    expect(page.get_by_text("全0件")).to_be_visible()

    page.goto(f"/training/{session.pk}/")
    page.get_by_role("link", name="記録を訂正").click()
    page.get_by_label("参加者数").fill("25")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("研修の記録を訂正しました。")).to_be_visible()
    expect(page.get_by_role("cell", name="25人")).to_be_visible()
    expect(page.get_by_role("region", name="履歴")).to_contain_text("訂正：参加者数")
