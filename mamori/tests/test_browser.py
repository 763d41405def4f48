"""The pages people use, in a real browser."""
import re

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.council.services import meeting_create
from mamori.incidents.models import Incident
from mamori.outsourcing.models import Contract
from mamori.register.tests.test_ingest_parser import OTHER_CITY
from mamori.tests.conftest import login, logout

pytestmark = pytest.mark.browser


def test_login_with_a_wrong_password_says_so(page, transactional_db, city):
    page.goto("/login/")
    page.get_by_label("ユーザー名").fill("staff")
    page.get_by_label("パスワード").fill("wrong")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_text("ユーザー名またはパスワードが正しくありません")).to_be_visible()
    expect(page.get_by_label("ユーザー名")).to_have_value("staff")


def test_search_the_register(page, transactional_db, city):
    login(page, "office", PASSWORD)
    page.get_by_role("link", name="管理簿", exact=True).click()
    expect(page.get_by_role("heading", name="個人情報取扱管理簿")).to_be_visible()
    expect(page.get_by_text("2件の事務事業")).to_be_visible()
    page.get_by_label("事務事業名・管理番号").fill("児童")  # htmx updates the results while typing
    expect(page.get_by_text("1件の事務事業")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=%E5%85%90%E7%AB%A5"))
    page.get_by_label("事務事業名・管理番号").fill("")
    page.get_by_label("特定個人情報（マイナンバー）を含む").check()
    expect(page.get_by_text("1件の事務事業")).to_be_visible()
    page.get_by_role("link", name="児童手当給付事業").click()
    expect(page.get_by_role("heading", name="児童手当給付事業", level=1)).to_be_visible()
    expect(page.get_by_text("特定個人情報（マイナンバー）を含む")).to_be_visible()


def test_change_notification_from_department_to_acceptance(page, transactional_db, city):
    # 1. the department drafts a 変更 and submits it
    login(page, "staff", PASSWORD)
    page.goto(f"/register/programs/{city.programs.teate.code}/")
    page.get_by_role("link", name="変更の届出を作成").click()
    page.get_by_label("理由及び経緯").fill("現況確認の連絡を電話でも行うため。")
    page.locator("#id_n-content").fill("受給者の「電話番号」を追加する。")
    page.get_by_label("適用年月日").fill("2025-04-01")
    items = page.locator("#id_groups-0-items")
    expect(items).to_have_value("氏名、住所、マイナンバー")
    items.fill("氏名、住所、マイナンバー、電話番号")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("を保存しました")).to_be_visible()
    diff_row = page.locator("table.diff tr", has_text="受給者")
    expect(diff_row).to_contain_text("追加：電話番号")
    number = page.locator("h1").inner_text().split("届出 ")[1].split("：")[0]
    page.get_by_role("button", name="課長に提出").click()
    expect(page.get_by_text("提出しました")).to_be_visible()
    logout(page)

    # 2. its 課長 approves
    login(page, "manager", PASSWORD)
    page.get_by_role("link", name="届出", exact=True).click()
    page.get_by_role("region", name=re.compile("承認待ち")).get_by_role("link", name=number).click()
    page.get_by_role("button", name="承認して保護担当へ").click()
    expect(page.get_by_text("承認しました")).to_be_visible()
    logout(page)

    # 3. the office accepts; the new version and the 新旧対照 show
    login(page, "office", PASSWORD)
    page.get_by_role("link", name="届出", exact=True).click()
    page.get_by_role("region", name=re.compile("審査待ち")).get_by_role("link", name=number).click()
    page.get_by_role("button", name="受理").click()
    page.get_by_role("dialog").get_by_role("button", name="受理する").click()  # 「…第2版が作成され、変更できません」
    expect(page.get_by_text("受理しました")).to_be_visible()
    page.get_by_role("link", name="第2版").click()
    expect(page.get_by_text("第2版（令和7年4月1日適用）")).to_be_visible()
    expect(page.get_by_text("現行", exact=True).first).to_be_visible()
    page.goto(f"/register/programs/{city.programs.teate.code}/")
    page.get_by_role("button", name="新旧対照を表示").click()
    expect(page.get_by_role("heading", name="新旧対照表")).to_be_visible()
    expect(page.locator("table.diff")).to_contain_text("追加：電話番号")
    expect(page.get_by_text("第1版（令和3年4月1日適用）→ 第2版（令和7年4月1日適用）")).to_be_visible()


def test_form_error_in_the_browser_keeps_the_input(page, transactional_db, city):
    login(page, "staff", PASSWORD)
    page.goto("/register/notifications/draft/?kind=new")
    page.get_by_label("事務事業名").fill("こども食堂支援事業")
    page.locator("#id_groups-0-name").fill("代表者")
    page.locator("#id_groups-0-items").fill("「氏名」、「住所」")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("入力内容に誤りがあります")).to_be_visible()
    expect(page.locator("#id_n-reason_error")).to_contain_text("必須")
    expect(page.get_by_label("事務事業名")).to_have_value("こども食堂支援事業")
    expect(page.locator("#id_groups-0-items")).to_have_value("「氏名」、「住所」")


@pytest.mark.parametrize("path", ["/register/", "/register/notifications/draft/?kind=new", "/audit/", "/register/vocabulary/"])
def test_every_form_control_has_a_label(page, transactional_db, city, path):
    login(page, "staff" if "draft" in path else "office", PASSWORD)
    page.goto(path)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.name || el.id)"""
    )
    assert unlabelled == []
    assert page.locator("h1").count() == 1
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="本文へ移動")).to_be_focused()


def test_office_reviews_an_imported_notification(page, transactional_db, city, tmp_path):
    from django.core.management import call_command


    path = tmp_path / "other.txt"
    path.write_text(OTHER_CITY, encoding="utf-8")
    call_command("ingest", str(path), stdout=open("/dev/null", "w"))
    login(page, "office", PASSWORD)
    page.get_by_role("link", name="届出", exact=True).click()
    box = page.get_by_role("region", name=re.compile("取込確認待ち"))
    box.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("取り込んだ届出の確認"))).to_be_visible()
    expect(page.locator("pre.source mark.x-contractors")).to_have_text("有限会社みどり見守りサービス")
    page.get_by_label(re.compile("文書のとおり組織を作成")).check()  # the document's 係 is not in the organisation
    page.get_by_label("記録項目（1行に1つ）").fill("氏名\n住所\n電話番号\n緊急連絡先")
    page.get_by_role("button", name="保存して受理").click()
    page.get_by_role("dialog").get_by_role("button", name="受理する").click()
    expect(page.get_by_text("を作成し、担当にしました")).to_be_visible()
    expect(page.get_by_text("受理しました")).to_be_visible()
    expect(page.get_by_role("link", name="第1版")).to_be_visible()


def test_council_member_downloads_shiryo1(page, transactional_db, city):
    import datetime


    meeting_create(actor=city.users.office, fiscal_year=2024, number=1, date=datetime.date(2024, 7, 29), start_time=datetime.time(10))
    login(page, "council", PASSWORD)
    page.get_by_role("link", name="審議会", exact=True).click()
    page.get_by_role("link", name="令和6年度第1回").click()
    expect(page.get_by_role("heading", name=re.compile("令和6年度第1回"))).to_be_visible()
    with page.expect_download() as download:
        page.locator("li", has_text="資料1（新規分）").get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "令和6年度第1回_資料1（新規分）.pdf"
    expect(page.get_by_role("link", name="管理簿", exact=True)).to_have_count(0)  # members read council materials only


def test_request_from_intake_to_notices_and_the_report(page, transactional_db, city):
    login(page, "office", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="請求").click()
    page.get_by_role("link", name="請求を受け付ける").click()
    page.get_by_label("手続").select_option("personal-disclosure")
    page.get_by_label("実施機関").select_option(label="市長")
    page.get_by_label("担当課（複数可）").select_option(label="こども・健康部 こども未来課 こども給付係")
    page.get_by_label("受付日").fill("2024-12-03")
    page.get_by_label("請求者の氏名・名称").fill("請求 花子")
    page.get_by_label("請求の内容").fill("児童手当の認定に関する記録")
    page.get_by_label("対象の文書（1行に1件・最初の担当課に割り当て）").fill("認定台帳\n面談記録")
    page.get_by_role("button", name="受け付ける").click()
    expect(page.get_by_text("を受け付けました")).to_be_visible()
    # the deadline and why
    expect(page.get_by_text("令和7年1月6日（月）").first).to_be_visible()
    expect(page.get_by_text("閉庁日（年末年始の閉庁日）のため、翌開庁日の令和7年1月6日（月）とします")).to_be_visible()
    # extend it
    page.get_by_text("補正・延長・特例を記録").click()
    page.locator("#id_clock-kind").select_option("extension")
    page.get_by_label("補正を求めた日／延長・特例を通知した日").fill("2024-12-20")
    page.get_by_label("延長日数（延長のみ・30日まで）").fill("30")
    page.get_by_label("理由（延長・特例は通知書に記載）").fill("対象文書が大量のため")
    page.get_by_role("button", name="記録", exact=True).click()
    expect(page.get_by_text("令和7年2月3日（月）").first).to_be_visible()
    # decide each document
    page.get_by_text("「認定台帳」の決定を記録").click()
    page.locator("details[open] select").first.select_option("disclose")
    page.locator("details[open] input.date-input").first.fill("令和7年1月20日")
    page.locator("details[open]").get_by_role("button", name="決定を記録").click()
    expect(page.get_by_text("「認定台帳」の決定を記録しました")).to_be_visible()
    # print the 延長通知書 and the decision notice
    page.get_by_text("通知書を作成").click()
    page.locator("#id_notice-kind").select_option("extension")
    page.get_by_label("発出日").fill("2024-12-20")
    page.get_by_role("button", name="作成", exact=True).click()
    expect(page.get_by_text("開示決定等期間延長通知書（個2024-0001-1）を作成しました")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    assert download.value.suggested_filename.endswith("延長通知書.pdf")
    page.get_by_text("通知書を作成").click()
    page.locator("#id_notice-kind").select_option("disclose")
    page.get_by_label("発出日").fill("2025-01-20")
    page.get_by_role("button", name="作成", exact=True).click()
    expect(page.get_by_text("保有個人情報開示決定通知書（個2024-0001-2）を作成しました")).to_be_visible()
    # the year's report (資料3), downloaded from the requests page
    page.get_by_role("navigation").get_by_role("link", name="請求").click()
    page.get_by_label("運用状況報告書（資料3）の年度").select_option(label="令和6年度")
    with page.expect_download() as download:
        page.get_by_role("button", name="報告書を出力").click()
    assert download.value.suggested_filename == "資料3_運用状況報告書_令和6年度.xlsx"


def test_contractor_contract_subcontract_inspection_and_downloads(page, transactional_db, city):
    login(page, "office", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="委託").click()
    page.get_by_role("link", name="委託事業者の一覧").click()
    page.get_by_role("link", name="委託事業者を登録").click()
    page.get_by_label("名称").fill("株式会社テスト")
    page.get_by_label("法人番号（13桁）").fill("2180301018771")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("1 のはずです")).to_be_visible()  # the check digit
    expect(page.get_by_label("名称")).to_have_value("株式会社テスト")
    page.get_by_label("法人番号（13桁）").fill("1180301018771")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("認証を登録").click()
    page.get_by_label("認証").select_option("pmark")
    page.get_by_label("有効期限").fill("2027-03-31")
    page.get_by_role("button", name="登録", exact=True).click()
    expect(page.get_by_text("認証を登録しました")).to_be_visible()
    for kind, title, parent in (("outsourcing", "システム運用業務委託", None), ("sub", "データ入力（再委託）", "1")):
        page.goto("/outsourcing/contracts/new/")
        page.get_by_label("事務事業").select_option(label=f"{city.programs.teate.code} 児童手当給付事業")
        page.get_by_label("受注者").select_option(label="株式会社テスト")
        page.get_by_label("種類").select_option(kind)
        if parent:

            page.get_by_label("元の契約の番号（再委託・再々委託）").fill(str(Contract.objects.get(title="システム運用業務委託").pk))
        page.get_by_label("契約件名").fill(title)
        page.get_by_label("契約期間（開始）").fill("2024-04-01")
        page.get_by_label("契約期間（終了）").fill("2025-03-31")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("契約を登録しました")).to_be_visible()
    expect(page.get_by_text("書面承認の記録なし（特記事項第10条）")).to_be_visible()
    expect(page.locator("ul.tree li")).to_have_count(2)
    page.get_by_role("link", name="委託：株式会社テスト（システム運用業務委託）").click()
    page.get_by_text("検査を記録（書面検査の返送分も入力できます）").click()
    page.locator("#id_insp-fiscal_year").select_option(label="令和6年度")
    page.get_by_label("検査実施日").fill("2024-10-01")
    for n in range(1, 12):
        page.locator(f"#id_insp-r{n}").select_option("ng" if n == 5 else "ok")
    page.locator("#id_insp-c5").fill("保管庫が施錠されていなかった")
    page.get_by_role("button", name="検査を記録").click()
    expect(page.get_by_text("指摘（点検項目5）")).to_be_visible()
    page.get_by_text("是正措置を記録").click()
    page.get_by_label("是正措置").fill("施錠の点検簿を作り毎日確認する")
    page.get_by_label("是正確認日").fill("2024-10-25")
    page.get_by_role("button", name="記録", exact=True).click()
    expect(page.get_by_text("是正措置を記録しました")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="別紙4 PDF").click()
    assert download.value.suggested_filename.startswith("別紙4_確認書_")
    page.get_by_role("navigation").get_by_role("link", name="委託").click()
    page.get_by_label("委託に関する報告（資料5）の年度").select_option(label="令和6年度")
    with page.expect_download() as download:
        page.get_by_role("button", name="報告書を出力").click()
    assert download.value.suggested_filename == "資料5_委託に関する報告_令和6年度.xlsx"


def test_record_an_incident_see_triggers_and_clocks_download_the_draft(page, transactional_db, city):
    login(page, "office", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="漏えい等").click()
    page.get_by_role("link", name="事案を記録").click()
    page.get_by_label("件名").fill("通知書の誤送付")
    page.get_by_label("概要").fill("受給者あての通知書を別人に送付した。")
    page.get_by_label("職員が知った日").fill("2024-12-01")
    page.get_by_label("該当部署").select_option(label="こども・健康部 こども未来課 こども給付係")
    page.get_by_label("関係する事務事業の管理番号（1行に1つ。項目は管理簿から読み込みます）").fill(city.programs.teate.code)
    page.get_by_label("本人の区分と人数（1行に「区分,人数」。例：児童生徒,12073）").fill("受給者,101")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("個人情報保護委員会への報告：必要")).to_be_visible()
    expect(page.get_by_text("本人の数が101人で、100人を超えます。")).to_be_visible()
    expect(page.get_by_text("令和6年12月30日（月）は閉庁日（年末年始の閉庁日）のため、令和7年1月6日（月）とします。")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    assert download.value.suggested_filename == f"漏えい等報告_速報案_{Incident.objects.get().pk}.pdf"
