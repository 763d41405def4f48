"""A clerk's day in the register and the council, in a real browser (issue 12): irreversible acts ask
first, each role's home opens its own filtered lists, an uploaded packet lands on its review, unknown
係 and オンライン結合 are handled as the document says, a past 適用年月日 is warned about, notes are
notes, lists sort and page, and a refused form keeps what was typed."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD, version_data
from mamori.core import jobs
from mamori.core import services as core
from mamori.core.models import OrgUnit, UnitKind
from mamori.council.services import meeting_create
from mamori.register import services
from mamori.register.models import Item, Notification, NotificationKind, NotificationStatus, Program
from mamori.register.tests.test_ingest_parser import OTHER_CITY
from mamori.register.tests.test_workflow import draft_change
from mamori.tests.conftest import login

pytestmark = pytest.mark.browser


def approved_change(city):
    n = draft_change(city)
    services.notification_submit(notification=n, actor=city.users.staff)
    return services.notification_approve(notification=n, actor=city.users.manager)


def new_draft(city, name="こども食堂支援事業", items=("氏名", "住所")):
    return services.notification_create(actor=city.users.staff, kind=NotificationKind.NEW, program=None,
                                        proposed=version_data(name, city.units.kyufu, groups=(("代表者", items),)),
                                        reason="補助を始めるため。", content="代表者の「氏名」を収集する。", effective_date=datetime.date(2030, 4, 1))


def status_of(number) -> str:
    return Notification.objects.get(number=number).status


def test_accepting_asks_first_names_the_version_and_cancelling_changes_nothing(page, transactional_db, city):
    n = approved_change(city)
    login(page, "office", PASSWORD)
    page.goto(f"/register/notifications/{n.number}/")
    page.get_by_role("button", name="受理").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("受理すると「児童手当給付事業」の第2版が作成され、変更できません。")
    dialog.get_by_role("button", name="やめる").click()
    expect(dialog).to_have_count(0)
    page.reload()
    expect(page.locator(".badge.status-approved")).to_have_text("保護担当審査待ち")
    assert status_of(n.number) == NotificationStatus.APPROVED and Program.objects.get(pk=city.programs.teate.pk).current.number == 1
    page.get_by_role("button", name="受理").click()
    page.get_by_role("dialog").get_by_role("button", name="受理する").click()
    expect(page.get_by_text("受理しました")).to_be_visible()
    expect(page.get_by_role("link", name="第2版")).to_be_visible()


def test_withdrawing_stands_apart_from_submitting_and_asks_first(page, transactional_db, city):
    n = new_draft(city)
    login(page, "staff", PASSWORD)
    page.goto(f"/register/notifications/{n.number}/")
    submit_row = page.locator(".actions", has=page.get_by_role("button", name="課長に提出"))
    expect(submit_row.get_by_role("button", name=re.compile("取り下げ"))).to_have_count(0)  # not beside 提出
    zone = page.get_by_role("region", name="届出の取下げ")
    expect(zone).to_contain_text("元に戻せません")
    zone.get_by_role("button", name="この届出を取り下げる").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"取り下げると、届出 {n.number} はこれ以上進められず、元に戻せません。")
    dialog.get_by_role("button", name="やめる").click()
    assert status_of(n.number) == NotificationStatus.DRAFT
    zone.get_by_role("button", name="この届出を取り下げる").click()
    page.get_by_role("dialog").get_by_role("button", name="取り下げる").click()
    expect(page.get_by_text("取り下げました。")).to_be_visible()
    assert status_of(n.number) == NotificationStatus.WITHDRAWN


def upload(page, tmp_path, text=OTHER_CITY, name="みどり市_令和7年度第2回.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="届出", exact=True).click()
    page.get_by_role("link", name="審議会資料・届出書を取り込む").click()  # offered on the 届出 page (core.actions)
    page.get_by_label(re.compile("審議会資料・届出書")).set_input_files(str(path))
    page.get_by_role("button", name="読み取る").click()
    # the ingest is a background job (council.ingest_job): its page, the worker's run, then the packet's review and its first 届出
    expect(page.get_by_role("heading", name=f"「{name}」の取込")).to_be_visible()
    jobs.execute(page.url.rstrip("/").rsplit("/", 1)[1])  # the worker's part
    expect(page.get_by_text("届出 2件、過年度の数値 0件（確認待ち）")).to_be_visible()
    page.get_by_role("link", name="結果を開く").click()
    expect(page.get_by_role("heading", name=f"取り込んだ資料「{name}」")).to_be_visible()
    page.get_by_role("list", name="取り込んだ届出").get_by_role("link").first.click()


def test_an_uploaded_packet_lands_on_its_review_and_a_discard_asks_first(page, transactional_db, city, tmp_path):
    login(page, "office", PASSWORD)
    upload(page, tmp_path)
    expect(page.get_by_role("heading", name=re.compile("取り込んだ届出の確認 .*高齢者見守りネットワーク事業"))).to_be_visible()
    first, second = Notification.objects.order_by("number")
    expect(page.get_by_text("None")).to_have_count(0)
    expect(page.get_by_text("取込元：みどり市_令和7年度第2回.txt")).to_be_visible()
    # the other 届出 of the same document is one click away
    page.get_by_role("navigation", name="同じ文書から取り込んだ届出").get_by_role("link", name=re.compile(second.number)).click()
    expect(page.get_by_role("heading", name=re.compile("図書館運営事業"))).to_be_visible()
    zone = page.get_by_role("region", name="取込の破棄")
    zone.get_by_role("button", name="この取込を破棄").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"破棄すると、取り込んだ届出 {second.number} は「取下げ」になり、元に戻せません")
    dialog.get_by_role("button", name="やめる").click()
    assert status_of(second.number) == NotificationStatus.IMPORTED
    zone.get_by_role("button", name="この取込を破棄").click()
    page.get_by_role("dialog").get_by_role("button", name="破棄する").click()
    expect(page.get_by_text(f"取り込んだ届出 {second.number} を破棄しました")).to_be_visible()
    expect(page.get_by_role("heading", name="文書からの取込")).to_be_visible()
    assert status_of(second.number) == NotificationStatus.WITHDRAWN and status_of(first.number) == NotificationStatus.IMPORTED


def test_unknown_units_are_flagged_then_created_or_mapped_and_online_partners_stay_online(page, transactional_db, city, tmp_path):

    division = core.unit_create(organ=city.organ, kind=UnitKind.DIVISION, code="kenko", name="健康福祉部", actor=None)
    section = core.unit_create(organ=city.organ, kind=UnitKind.SECTION, code="korei", name="高齢介護課", parent=division, actor=None)
    login(page, "office", PASSWORD)
    upload(page, tmp_path)
    first, second = Notification.objects.order_by("number")
    assert first.unit is None  # its 係 is missing: not silently its 課
    # 1. 健康福祉部 高齢介護課 exist, 地域包括係 does not: flagged; the office creates it as the document names it
    gap = page.get_by_role("group", name=re.compile("が組織にありません"))
    expect(gap).to_contain_text("「健康福祉部 高齢介護課 地域包括係」のうち、「地域包括係」（係）が組織にありません")
    expect(gap).to_contain_text("近い組織（健康福祉部 高齢介護課）に黙って置き換えることはしません")
    gap.get_by_label(re.compile("文書のとおり組織を作成")).check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("組織「健康福祉部 高齢介護課 地域包括係」を作成し、担当にしました。")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("が組織にありません"))).to_have_count(0)
    expect(page.get_by_text("担当：健康福祉部 高齢介護課 地域包括係")).to_be_visible()
    assert OrgUnit.objects.get(name="地域包括係").parent == section
    # 2. 教育部 中央図書館: mapped by choice to an existing unit; its オンライン結合 partner is no 委託先
    page.goto(f"/register/notifications/{second.number}/")
    expect(page.get_by_label("委託先（1行に1つ）")).to_have_value("")
    expect(page.get_by_label("オンライン結合の相手（1行に1つ）")).to_have_value("一般社団法人デジタル図書推進機構")
    expect(page.locator("pre.source mark.x-online_partners")).to_have_text("一般社団法人デジタル図書推進機構")
    page.get_by_label("届出の種類").select_option("new")
    gap = page.get_by_role("group", name=re.compile("が組織にありません"))
    gap.get_by_label(re.compile("既存の組織を担当にする")).check()
    page.get_by_role("button", name="保存して受理").click()
    page.get_by_role("dialog").get_by_role("button", name="受理する").click()
    expect(page.get_by_text("担当にする既存の組織を選んでください。")).to_be_visible()  # beside 担当, nothing written
    expect(page.get_by_label("オンライン結合の相手（1行に1つ）")).to_have_value("一般社団法人デジタル図書推進機構")
    page.get_by_label("担当", exact=True).select_option(label="総務部 総務課 情報公開係")
    page.get_by_label("目的外利用の収集元の事務事業（1行に1つ）").fill("")
    page.get_by_role("button", name="保存して受理").click()
    page.get_by_role("dialog").get_by_role("button", name="受理する").click()
    expect(page.get_by_text("受理しました。")).to_be_visible()
    expect(page.get_by_text(re.compile("取込：office"))).to_be_visible()  # who imported it, never 「作成：None」
    page.get_by_role("link", name="第1版").click()
    row = page.locator("tr", has_text="オンライン結合")
    expect(row).to_contain_text("一般社団法人デジタル図書推進機構")
    expect(page.locator("tr", has_text="外部委託")).to_have_count(0)
    assert Notification.objects.get(pk=second.pk).unit == city.units.joho


@pytest.mark.parametrize(
    ("user", "title", "expected"),
    [
        ("office", "審査待ち（課長承認済み）", ["approved"]),
        ("staff", "作成中の届出", ["draft"]),
        ("staff", "差し戻された届出", ["returned"]),
        ("manager", "承認待ち（あなたの承認を待つ届出）", ["submitted"]),
    ],
)
def test_each_home_entry_opens_the_list_filtered_to_what_it_counts(page, transactional_db, city, user, title, expected):
    day = {"draft": new_draft(city, "下書きの事業"), "returned": new_draft(city, "差し戻された事業"), "submitted": draft_change(city),
           "approved": new_draft(city, "審査を待つ事業")}
    for key in ("returned", "submitted", "approved"):
        services.notification_submit(notification=day[key], actor=city.users.staff)
    services.notification_return(notification=day["returned"], actor=city.users.manager, comment="項目を確認してください。")
    services.notification_approve(notification=day["approved"], actor=city.users.manager)
    numbers = [day[k].number for k in expected]
    login(page, user, PASSWORD)
    card = page.get_by_role("region", name=title)
    expect(card.locator(".count")).to_have_text(f"{len(numbers)}件")
    expect(card.locator(".worklist-items li")).to_have_count(len(numbers))  # its 届出 named
    expect(card.get_by_role("link", name=re.compile(numbers[0]))).to_be_visible()
    card.get_by_role("link", name=re.compile("の届出一覧へ")).click()
    expect(page.get_by_role("status").filter(has_text="絞り込み中")).to_contain_text(title)
    rows = page.locator("table").last.locator("tbody tr")
    expect(rows).to_have_count(len(numbers))
    for number in numbers:
        expect(rows.get_by_role("link", name=number)).to_be_visible()
    page.get_by_role("link", name="絞り込みを解除してすべての届出を表示").click()
    expect(page.get_by_role("heading", name="すべての届出")).to_be_visible()


def test_a_past_effective_date_is_warned_beside_the_field_as_typed_and_after_saving(page, transactional_db, city):
    login(page, "staff", PASSWORD)
    page.goto("/register/notifications/draft/?kind=new")
    warning = page.locator("#effective-warning")
    page.get_by_label("適用年月日").fill("令和2年4月1日")
    expect(warning).to_contain_text("適用年月日（令和2年4月1日）が過去の日付です。届出は事務事業を始める・変える前に行うものです。")
    page.get_by_label("適用年月日").fill("令和32年4月1日")
    expect(warning).to_be_empty()
    page.get_by_label("適用年月日").fill("R2.4.1")
    expect(warning).to_contain_text("過去の日付です")
    page.get_by_label("理由及び経緯").fill("補助制度の開始が決まったため。")
    page.locator("#id_n-content").fill("代表者の「氏名」を収集する。")
    page.get_by_label("事務事業名").fill("こども食堂支援事業")
    page.locator("#id_groups-0-name").fill("代表者")
    page.locator("#id_groups-0-items").fill("氏名")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("を保存しました")).to_be_visible()  # warned, not refused
    # the 届出's own row (the history below also names the field now that it reads in Japanese)
    expect(page.locator("tr", has_text="注意：適用年月日")).to_contain_text("適用年月日（令和2年4月1日）が過去の日付です")


def test_the_unknown_item_note_is_a_note_not_an_error(page, transactional_db, city):
    n = new_draft(city, items=("氏名", "好きな給食の献立"))
    login(page, "staff", PASSWORD)
    page.goto(f"/register/notifications/{n.number}/")
    note = page.get_by_role("note").filter(has_text="語彙にない項目名")
    expect(note).to_contain_text("好きな給食の献立")
    expect(note).to_contain_text("届出はこのまま進められます")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert "error" not in (note.get_attribute("class") or "")
    colors = note.evaluate("el => [getComputedStyle(el).color, getComputedStyle(document.body).color]")
    assert colors[0] == colors[1], colors  # the body's text colour, not the error red


def test_lists_sort_by_their_columns_and_page_with_a_total(page, transactional_db, city):

    total = Item.objects.count()
    assert total > 50  # the shipped vocabulary is more than one page
    login(page, "office", PASSWORD)
    page.goto("/register/vocabulary/")
    expect(page.get_by_text(f"全{total:,}件（1〜50件目）")).to_be_visible()
    heading = page.get_by_role("columnheader", name=re.compile("項目名"))
    heading.get_by_role("link").click()
    expect(page.get_by_role("columnheader", name=re.compile("項目名"))).to_have_attribute("aria-sort", "ascending")
    first = page.locator("tbody tr").first.locator("td").first.inner_text()
    page.get_by_role("columnheader", name=re.compile("項目名")).get_by_role("link").click()
    expect(page.get_by_role("columnheader", name=re.compile("項目名"))).to_have_attribute("aria-sort", "descending")
    expect(page.locator("tbody tr").first.locator("td").first).not_to_have_text(first)
    page.get_by_role("navigation", name="ページ送り").get_by_role("link", name="次へ").click()
    expect(page.get_by_text(re.compile(f"全{total:,}件（51〜"))).to_be_visible()
    expect(page).to_have_url(re.compile("sort=-name"))  # the order is kept across pages
    # the register list and the 届出 list sort too
    page.goto("/register/")
    page.get_by_role("columnheader", name=re.compile("事務事業名")).get_by_role("link").click()
    names = page.locator("#results tbody tr td:nth-child(2) a").all_inner_texts()
    assert names == sorted(names) and len(names) == 2
    page.goto("/register/notifications/")
    listed = page.locator("table").last  # below the boxes of what waits
    listed.get_by_role("columnheader", name=re.compile("届出番号")).get_by_role("link").click()
    expect(page.locator("table").last.get_by_role("columnheader", name=re.compile("届出番号"))).to_have_attribute("aria-sort", "ascending")


def test_refused_forms_come_back_open_with_the_input_and_the_message_beside_the_field(page, transactional_db, city):
    import datetime as dt


    n = approved_change(city)
    login(page, "office", PASSWORD)
    page.goto(f"/register/notifications/{n.number}/")
    page.get_by_role("button", name="差し戻す").click()
    field = page.locator(".field", has=page.get_by_label(re.compile("^コメント")))
    expect(field.locator(".errorlist")).to_have_text("差し戻す理由（修正してほしい点）を入力してください。")
    long = "直してください。" * 300
    page.get_by_label(re.compile("^コメント")).fill(long)
    page.get_by_role("button", name="差し戻す").click()
    expect(field.locator(".errorlist")).to_contain_text("2,000文字以内で入力してください（いまは2,400文字です）。")
    expect(page.get_by_label(re.compile("^コメント"))).to_have_value(long)
    assert status_of(n.number) == NotificationStatus.APPROVED
    # the council: a meeting picked in 令和, an assignment refused beside its boxes
    meeting = meeting_create(actor=city.users.office, fiscal_year=2024, number=1, date=dt.date(2024, 7, 29))
    services.notification_accept(notification=n, actor=city.users.office)
    page.goto(f"/council/meetings/{meeting.pk}/")
    expect(page.get_by_text("資料3（令和5年度 運用状況）")).to_be_visible()
    page.get_by_label(re.compile(n.number)).uncheck()
    page.get_by_role("button", name="割り当てる").click()
    expect(page.get_by_role("group", name="この審議会で報告する届出を選んでください")).to_contain_text("割り当てる届出を1件以上選んでください。")
    expect(page.get_by_label(re.compile(n.number))).not_to_be_checked()  # as it was left
    page.goto("/council/meetings/new/")
    expect(page.get_by_label(re.compile("^年度")).locator("option", has_text="令和6年度")).to_have_count(1)
    page.get_by_label(re.compile("^年度")).select_option(label="令和6年度")
    page.get_by_label(re.compile("^回")).fill("2")
    page.get_by_label("開催日").fill("令和7年4月2日")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("開催日は令和6年度（令和6年4月1日〜令和7年3月31日）の日付にしてください。")).to_be_visible()
    expect(page.get_by_label(re.compile("^年度"))).to_have_value("2024")
