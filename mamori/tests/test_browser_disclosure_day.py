"""A clerk's day in the disclosure app (issue 12), in a real browser: forms that keep what was typed, the home
worklist and the filtered list it opens, sorting and paging, the words of each procedure, requester types,
the appeal period only after a decision, and a confirmed 取下げ."""
import datetime
import io
import re

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.conftest import PASSWORD, make_user
from mamori.core.calendar import wareki
from mamori.core.models import Role
from mamori.disclosure import services
from mamori.tests.conftest import login

pytestmark = pytest.mark.browser
D = datetime.timedelta


def make(city, days_ago, unit=None, procedure="personal-disclosure", subject="児童手当の認定に関する記録", documents=("認定台帳",)):
    unit = unit or city.units.kyufu
    return services.request_create(actor=city.users.office, procedure=procedure, organ=city.organ, departments=[unit],
                                   received_on=timezone.localdate() - D(days=days_ago), requester_name="請求 花子", subject=subject,
                                   handler=city.users.office, requester_role="" if procedure.startswith("public") else "self",
                                   documents=[(unit, t) for t in documents])


def details(page, summary):
    return page.locator("details", has=page.locator(f"summary:text-is('{summary}')"))


def test_a_refused_extension_comes_back_open_with_what_was_typed(page, transactional_db, city):
    r = make(city, 5)
    login(page, "office", PASSWORD)
    page.goto(f"/requests/{r.number}/")
    page.get_by_text("補正・延長・特例を記録").click()
    page.locator("#id_clock-kind").select_option("extension")
    page.get_by_label("補正を求めた日／延長・特例を通知した日").fill(wareki(timezone.localdate()))
    page.get_by_label("延長日数（延長のみ・30日まで）").fill("31")
    page.get_by_label("理由（延長・特例は通知書に記載）").fill("対象の文書が大量で、確認に時間を要するため")
    page.get_by_role("button", name="記録", exact=True).click()
    form = details(page, "補正・延長・特例を記録")
    expect(form).to_have_attribute("open", "")
    expect(page.locator("#id_clock-days_error")).to_have_text(re.compile(r"^延長は30日以内です（個人情報保護法第83条第2項）。31日は延長できません。"))
    expect(page.locator("#id_clock-days")).to_be_focused()  # the first field in error
    expect(page.locator("#id_clock-kind")).to_have_value("extension")
    expect(page.locator("#id_clock-days")).to_have_value("31")
    expect(page.locator("#id_clock-reason")).to_have_value("対象の文書が大量で、確認に時間を要するため")
    expect(page.locator(".messages")).to_have_count(0)  # the message is beside its field, not at the top
    # put it right: the same form, now accepted
    page.locator("#id_clock-days").fill("30")
    page.get_by_role("button", name="記録", exact=True).click()
    expect(page.get_by_text("期限の記録を追加しました")).to_be_visible()
    expect(page.get_by_role("cell", name="30日延長")).to_be_visible()


def test_every_folded_form_keeps_its_input(page, transactional_db, city):
    r = make(city, 5, documents=("認定台帳", "面談記録"))
    doc = r.documents.first()
    login(page, "office", PASSWORD)
    page.goto(f"/requests/{r.number}/")
    # a decision without its reason
    page.get_by_text(f"「{doc.title}」の決定を記録").click()
    page.locator(f"#id_d{doc.pk}-decision").select_option("partial")
    page.locator(f"#id_d{doc.pk}-reasons").fill("")
    page.locator("details[open]").get_by_role("button", name="決定を記録").click()
    expect(details(page, f"「{doc.title}」の決定を記録")).to_have_attribute("open", "")
    expect(page.locator(f"#id_d{doc.pk}-reason_text_error")).to_have_text("「部分開示」とする決定には、理由（条項と説明）が必要です。")
    expect(page.locator(f"#id_d{doc.pk}-decision")).to_have_value("partial")
    # an appeal whose dates run backwards
    page.get_by_text("審査請求を記録").click()
    page.get_by_label("審査請求の日").fill("令和7年2月1日")
    page.get_by_label("諮問の日").fill("令和7年1月15日")
    page.get_by_label("備考", exact=True).fill("審査会へ諮問予定")
    page.locator("details[open]").get_by_role("button", name="保存").click()
    expect(details(page, "審査請求を記録")).to_have_attribute("open", "")
    expect(page.locator("#id_appeal-consulted_on_error")).to_have_text("諮問の日（令和7年1月15日（水））が審査請求の日（令和7年2月1日（土））より前です。日付を確かめてください。")
    expect(page.locator("#id_appeal-consulted_on")).to_be_focused()
    expect(page.locator("#id_appeal-note")).to_have_value("審査会へ諮問予定")
    # a third-party inquiry without the third party
    page.get_by_text("通知書を作成（第三者への意見照会を含む）").click()
    page.locator("#id_notice-kind").select_option("third_party")
    page.get_by_label("意見書の提出期限（第三者への照会）").fill("令和9年1月20日")
    page.locator("details[open]").get_by_role("button", name="作成", exact=True).click()
    expect(details(page, "通知書を作成（第三者への意見照会を含む）")).to_have_attribute("open", "")
    expect(page.locator("#id_notice-recipient_error")).to_have_text("意見を照会する第三者の氏名・名称を入力してください。")
    expect(page.locator("#id_notice-kind")).to_have_value("third_party")
    expect(page.locator("#id_notice-opinion_due")).to_have_value("令和9年1月20日")


def test_withdrawal_asks_first_and_then_decides_the_open_documents(page, transactional_db, city):
    r = make(city, 5, documents=("認定台帳", "面談記録"))
    login(page, "office", PASSWORD)
    page.goto(f"/requests/{r.number}/")
    page.get_by_text("請求の取下げを記録").click()
    page.get_by_label("取下げの日（取下書を受け付けた日）").fill((timezone.localdate() - D(days=10)).strftime("%Y-%m-%d"))
    page.get_by_role("button", name="取下げを記録").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("未決定の文書2件を「取下げ」として決定済みにします")
    dialog.get_by_role("button", name="取下げを記録する").click()
    expect(page.locator("#id_withdraw-withdrawn_on_error")).to_contain_text("が受付日")  # before the request: refused, kept open
    expect(details(page, "請求の取下げを記録")).to_have_attribute("open", "")
    page.get_by_label("取下げの日（取下書を受け付けた日）").fill(timezone.localdate().strftime("%Y-%m-%d"))
    page.get_by_label("備考（取下げの理由など）").fill("請求者から取下書の提出")
    page.get_by_role("button", name="取下げを記録").click()
    page.get_by_role("dialog").get_by_role("button", name="やめる").click()  # changed one's mind: nothing is sent
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not r.documents.filter(decision="withdrawn").exists()
    page.get_by_role("button", name="取下げを記録").click()
    page.get_by_role("dialog").get_by_role("button", name="取下げを記録する").click()
    expect(page.get_by_text("取下げを記録しました")).to_be_visible()
    expect(page.get_by_role("cell", name="取下げ", exact=True)).to_have_count(2)
    expect(page.get_by_text("請求の取下げを記録")).to_have_count(0)


def test_the_office_follows_its_worklist_to_the_filtered_list(page, transactional_db, city):
    overdue, soon, later = make(city, 60, subject="児童扶養手当の相談記録"), make(city, 25, subject="生活保護のケース記録"), make(city, 2)
    login(page, "office", PASSWORD)
    card = page.get_by_role("region", name=re.compile("期限を過ぎた請求"))
    expect(card).to_contain_text("至急")
    expect(card.get_by_role("link", name=f"{overdue.number} 児童扶養手当の相談記録")).to_be_visible()
    expect(card).to_contain_text(re.compile(r"保有個人情報開示請求・期限 令和\d+年\d+月\d+日（.）・\d+開庁日超過"))
    near = page.get_by_role("region", name=re.compile("7開庁日以内に期限の請求"))
    expect(near.get_by_role("link", name=re.compile(soon.number))).to_be_visible()
    expect(near).to_contain_text(re.compile(r"あと\d開庁日|本日が期限"))
    card.get_by_role("link", name="期限超過の請求の一覧へ").click()
    expect(page).to_have_url(re.compile(r"/requests/\?due=overdue$"))
    expect(page.get_by_role("status").filter(has_text="絞り込み中")).to_contain_text("期限：期限超過")
    rows = page.locator("table.request-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(overdue.number)
    expect(page.get_by_text("全1件")).to_be_visible()
    page.get_by_role("link", name="絞り込みをすべて解除して、すべての請求を表示").click()
    expect(page.locator("table.request-list tbody tr")).to_have_count(3)
    expect(page.locator("table.request-list")).to_contain_text(later.number)
    expect(page.get_by_text("絞り込み中")).to_have_count(0)


def test_a_department_drafter_sees_the_overdue_request_of_their_kakari(page, transactional_db, city):
    make_user("kyufu-staff", Role.DEPT_STAFF, city.units.kyufu)
    mine, theirs = make(city, 60), make(city, 60, unit=city.units.nozei, subject="滞納処分の記録")
    login(page, "kyufu-staff", PASSWORD)
    card = page.get_by_role("region", name=re.compile("こども給付係の請求：期限超過"))
    expect(card).to_contain_text("至急")
    expect(card.get_by_role("link", name=re.compile(mine.number))).to_be_visible()
    expect(page.get_by_text(theirs.number)).to_have_count(0)
    expect(page.get_by_role("region", name=re.compile("こども給付係の処理中の請求"))).to_contain_text("開庁日超過")
    card.get_by_role("link", name="期限超過の請求の一覧へ").click()
    filters = page.get_by_role("status").filter(has_text="絞り込み中")
    expect(filters).to_contain_text("期限：期限超過")
    expect(filters).to_contain_text("所管：こども・健康部 こども未来課 こども給付係（配下を含む）")
    expect(page.locator("table.request-list tbody tr")).to_have_count(1)
    page.get_by_role("link", name="「期限：期限超過」の絞り込みを解除").click()
    expect(page.get_by_role("status").filter(has_text="絞り込み中")).not_to_contain_text("期限超過")
    expect(page.locator("table.request-list tbody tr")).to_have_count(1)  # still こども給付係's only
    page.get_by_role("link", name=mine.number).click()
    expect(page.get_by_role("heading", name=f"保有個人情報開示請求 {mine.number}")).to_be_visible()


def test_the_list_sorts_by_its_columns_and_pages(page, transactional_db, city):
    made = [make(city, n, procedure="public-request" if n % 3 == 0 else "personal-disclosure") for n in range(1, 53)]
    login(page, "office", PASSWORD)
    page.goto("/requests/")
    expect(page.get_by_text("全52件（1〜50件目）")).to_be_visible()
    rows = page.locator("table.request-list tbody tr")
    expect(rows).to_have_count(50)
    received = page.get_by_role("columnheader", name=re.compile("受付日"))
    expect(received).to_have_attribute("aria-sort", "descending")  # newest first
    expect(rows.first).to_contain_text(made[0].number)
    received.get_by_role("link").click()
    expect(page.get_by_role("columnheader", name=re.compile("受付日"))).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_contain_text(made[-1].number)
    page.get_by_role("link", name="次へ").first.click()
    expect(page.get_by_text("全52件（51〜52件目）")).to_be_visible()
    expect(rows).to_have_count(2)
    expect(rows.last).to_contain_text(made[0].number)
    expect(page).to_have_url(re.compile(r"sort=received.*page=2|page=2.*sort=received"))
    page.get_by_role("columnheader", name=re.compile("種類")).get_by_role("link").click()
    expect(page.get_by_text("全52件（1〜50件目）")).to_be_visible()  # a new order starts on page 1
    expect(rows.first).to_contain_text("保有個人情報開示請求")
    page.get_by_role("columnheader", name=re.compile("種類")).get_by_role("link").click()
    expect(page.get_by_role("columnheader", name=re.compile("種類"))).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text("公文書公開請求")
    page.get_by_label("手続").select_option("public-request")
    page.get_by_role("button", name="絞り込む").click()
    expect(page.get_by_text("全17件（1〜17件目）")).to_be_visible()
    for name in ("受付番号", "実施機関・所管", "決定期限", "状態"):
        page.get_by_role("columnheader", name=re.compile(name)).get_by_role("link").click()
        expect(page.get_by_role("columnheader", name=re.compile(name))).to_have_attribute("aria-sort", "ascending")
        expect(page.get_by_text("全17件（1〜17件目）")).to_be_visible()  # the filter stays on


def test_a_public_records_request_speaks_of_kokai_on_its_page_and_notice(page, transactional_db, city):
    r = make(city, 5, procedure="public-request", subject="給付事業の委託契約書", documents=("委託契約書", "仕様書"))
    first, second = r.documents.all()
    login(page, "office", PASSWORD)
    page.goto(f"/requests/{r.number}/")
    expect(page.get_by_role("cell", name="個人：", exact=False)).to_contain_text("請求 花子")
    expect(page.get_by_text("本人（個人）")).to_have_count(0)
    page.get_by_text(f"「{second.title}」の決定を記録").click()
    choices = page.locator(f"#id_d{second.pk}-decision option").all_inner_texts()
    assert choices[:4] == ["選択してください", "公開", "部分公開", "非公開"] and not any("開示" in c for c in choices)
    page.locator(f"#id_d{second.pk}-decision").select_option("partial")
    form = page.locator("details[open]")
    form.get_by_label("非公開の条項（例：情報公開条例第7条第2号）").fill("第7条第2号")
    form.get_by_label("理由の説明").fill("法人の印影")
    page.locator("details[open]").get_by_role("button", name="決定を記録").click()
    expect(page.get_by_text(f"「{second.title}」の決定を記録しました")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(second.title)).first).to_contain_text("部分公開")
    page.get_by_text("通知書を作成（第三者への意見照会を含む）").click()
    kinds = page.locator("#id_notice-kind option").all_inner_texts()
    assert "公文書部分公開決定通知書" in kinds and not any("開示" in k for k in kinds)
    page.locator("#id_notice-kind").select_option(label="公文書部分公開決定通知書")
    page.get_by_role("button", name="作成", exact=True).click()
    expect(page.get_by_text(re.compile(r"公文書部分公開決定通知書（公\d+-0001-1）を作成しました"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").click()
    lines = [p.text for p in docx.Document(io.BytesIO(open(download.value.path(), "rb").read())).paragraphs if p.text]
    assert "公文書部分公開決定通知書" in lines
    assert any("請求のあった公文書の公開について、次のとおり一部を公開することに決定したので通知します。" in line for line in lines)
    assert "・仕様書（部分公開）" in lines and "公開しない部分とその理由" in lines and "・仕様書：第7条第2号 法人の印影" in lines
    assert not any("開示" in line for line in lines[:lines.index("（教示）")])


def test_the_intake_offers_the_requester_types_of_the_chosen_procedure(page, transactional_db, city):
    login(page, "office", PASSWORD)
    page.goto("/requests/new/")
    expect(page.get_by_label("手続")).to_have_value("public-request")
    expect(page.get_by_label("請求者の区分")).to_have_count(0)
    expect(page.locator("#requester-role")).to_contain_text("保有個人情報の請求だけにあります")
    page.get_by_label("手続").select_option("personal-disclosure")
    role = page.get_by_label("請求者の区分")
    expect(role).to_be_visible()
    assert role.locator("option").all_inner_texts() == ["本人", "法定代理人", "任意代理人"]
    expect(role).to_have_value("self")
    page.get_by_label("手続").select_option("public-offer")
    expect(page.get_by_label("請求者の区分")).to_have_count(0)
    # a 公文書 request is received without one, and its page shows none
    page.get_by_label("実施機関").select_option(label="市長")
    page.get_by_label("担当課（複数可）").select_option(label="こども・健康部 こども未来課 こども給付係")
    page.get_by_label("請求者の氏名・名称").fill("株式会社サンプル")
    page.get_by_label("請求者の種別").select_option("legal")
    page.get_by_label("請求の内容").fill("あ" * 4_001)
    page.get_by_role("button", name="受け付ける").click()
    expect(page.locator("#id_subject_error")).to_have_text("4,000字以内で入力してください（いま4,001字あります）。")
    expect(page.locator("#id_subject")).to_be_focused()
    expect(page.get_by_label("請求者の氏名・名称")).to_have_value("株式会社サンプル")
    page.get_by_label("請求の内容").fill("入札の記録")
    page.get_by_role("button", name="受け付ける").click()
    expect(page.get_by_text("を受け付けました")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("公文書公開申出")
    expect(page.get_by_role("row", name=re.compile("請求者"))).to_contain_text("法人・団体：")
    expect(page.get_by_text("本人")).to_have_count(0)


def test_the_appeal_period_shows_only_once_a_decision_exists(page, transactional_db, city):
    r = make(city, 5)
    login(page, "office", PASSWORD)
    page.goto(f"/requests/{r.number}/")
    expect(page.get_by_text("から数えて")).to_have_count(0)
    expect(page.get_by_text("審査請求の期間は、決定があってから示します")).to_be_visible()
    doc = r.documents.first()
    page.get_by_text(f"「{doc.title}」の決定を記録").click()
    page.locator(f"#id_d{doc.pk}-decision").select_option("disclose")
    page.locator("details[open]").get_by_role("button", name="決定を記録").click()
    expect(page.get_by_text("の決定を記録しました")).to_be_visible()
    expect(page.get_by_text(re.compile(r"最後の決定（令和\d+年\d+月\d+日（.））から数えて 令和\d+年\d+月\d+日（.） まで"))).to_be_visible()


@pytest.mark.parametrize("where", ["intake", "request"])
def test_every_described_field_points_at_text_that_exists(page, transactional_db, city, where):
    r = make(city, 5, documents=("認定台帳",))
    services.clock_add(request=r, actor=city.users.office, kind="correction", start_on=timezone.localdate() - D(days=3))
    services.appeal_save(request=r, actor=city.users.office, filed_on=timezone.localdate())
    login(page, "office", PASSWORD)
    page.goto("/requests/new/" if where == "intake" else f"/requests/{r.number}/")
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    missing = page.evaluate("""() => [...document.querySelectorAll('[aria-describedby]')].flatMap((el) =>
        el.getAttribute('aria-describedby').split(/\\s+/).filter((id) => id && !document.getElementById(id)).map((id) => `${el.name || el.id} → ${id}`))""")
    assert missing == []
    described = page.evaluate("() => document.querySelectorAll('select[aria-describedby], textarea[aria-describedby]').length")
    assert described >= 2  # the help texts are there and named
