"""The lists (paginated, totals, sortable, filters kept across pages) and the home page's entries: each entry's
count is the total of the list its link opens, and the list says which filter is on."""
import datetime
import re

import pytest
from django.utils import timezone

from mamori.core.calendar import fiscal_year
from mamori.core.concurrency import token_for
from mamori.core.worklist import entries_for
from mamori.outsourcing import selectors, services
from mamori.outsourcing.models import Contract
from mamori.outsourcing.rules import CHECKLIST

D = datetime.date
DAY = datetime.timedelta(days=1)


def total(page: str) -> int:
    found = re.search(r"全([\d,]+)件", page)
    assert found, "no 全N件 on the page"
    return int(found.group(1).replace(",", ""))


@pytest.fixture
def supervision(city):
    """Relative to today: a 再委託 in force without approval, an ended contract without its 第14条 record, an
    overdue finding, a certification expiring in 30 days, one expired and not renewed, one expired but renewed."""
    office, today = city.users.office, timezone.localdate()
    acme = services.contractor_save(actor=office, name="株式会社テスト", corporate_number="1180301018771")
    sub_co = services.contractor_save(actor=office, name="株式会社再受注", corporate_number="7000012050002")
    old_co = services.contractor_save(actor=office, name="株式会社むかし")
    teate = city.programs.teate
    main = services.contract_save(actor=office, program=teate, contractor=acme, kind="outsourcing", title="システム運用",
                                  starts_on=today - 200 * DAY, ends_on=today + 165 * DAY)
    sub = services.contract_save(actor=office, program=teate, contractor=sub_co, kind="sub", parent=main, title="データ入力",
                                 starts_on=today - 100 * DAY, ends_on=today + 165 * DAY)
    ended = services.contract_save(actor=office, program=teate, contractor=old_co, kind="outsourcing", title="前年度の運用",
                                   starts_on=today - 600 * DAY, ends_on=today - 30 * DAY)
    results = {str(n): {"result": "ok"} for n, *_ in CHECKLIST} | {"5": {"result": "ng", "comment": "施錠なし"}}
    inspection = services.inspection_save(actor=office, contract=main, fiscal_year=fiscal_year(today), method="onsite", inspected_on=today, results=results)
    finding = inspection.findings.get()
    services.finding_update(actor=office, finding=finding, action="点検簿を作る", due_on=today - 10 * DAY, base_version=token_for(finding))
    services.certification_add(actor=office, contractor=acme, kind="pmark", expires_on=today + 30 * DAY)
    services.certification_add(actor=office, contractor=sub_co, kind="isms", expires_on=today - 5 * DAY)
    services.certification_add(actor=office, contractor=acme, kind="isms", expires_on=today - 5 * DAY)
    services.certification_add(actor=office, contractor=acme, kind="isms", expires_on=today + 700 * DAY)  # the renewal
    services.certification_add(actor=office, contractor=old_co, kind="pmark", expires_on=today + 10 * DAY)  # no contract in force: not work
    return dict(main=main, sub=sub, ended=ended, acme=acme, sub_co=sub_co, today=today)


def test_every_entry_counts_what_its_link_lists(client, city, supervision):
    client.force_login(city.users.office)
    mine = [e for e in entries_for(city.users.office) if "/outsourcing/" in e.url]
    assert {e.title: e.count for e in mine} == {
        "書面承認の記録がない再委託（特記事項第10条）": 1,
        "是正期限を過ぎた指摘事項がある検査（別紙4）": 1,
        "別紙1〜3がそろっていない契約（契約期間中）": 2,
        "終了後の返還・廃棄の記録がない契約（特記事項第14条）": 1,
        "今年度の検査の記録がない契約（特記事項第15条）": 1,  # the 再委託; the 委託 was inspected this year
        "有効期限が切れた認証（契約期間中の事業者）": 1,
        "有効期限が60日以内の認証（契約期間中の事業者）": 1,
    }
    for entry in mine:
        page = client.get(entry.url).content.decode()
        assert total(page) == entry.count, entry.title
        assert "絞り込み中：" in page and "絞り込みを解除" in page, entry.title
    urgent = {e.title for e in mine if e.urgent}
    assert urgent == {"書面承認の記録がない再委託（特記事項第10条）", "是正期限を過ぎた指摘事項がある検査（別紙4）", "有効期限が切れた認証（契約期間中の事業者）"}
    (overdue,) = [e for e in mine if e.title.startswith("是正期限")]
    assert overdue.items[0].label == "システム運用：点検項目5" and overdue.items[0].note.endswith("・10日超過")
    (expiring,) = [e for e in mine if e.title.startswith("有効期限が60日")]
    assert expiring.items[0].label == "株式会社テスト" and expiring.items[0].note.startswith("プライバシーマーク・有効期限 令和")


def test_a_department_sees_the_entries_of_its_own_contracts_only(city, supervision):
    assert {e.title for e in entries_for(city.users.staff) if "/outsourcing/" in e.url} == {
        "書面承認の記録がない再委託（特記事項第10条）", "是正期限を過ぎた指摘事項がある検査（別紙4）",
        "別紙1〜3がそろっていない契約（契約期間中）", "終了後の返還・廃棄の記録がない契約（特記事項第14条）",
        "今年度の検査の記録がない契約（特記事項第15条）"}  # certifications are the office's
    assert not [e for e in entries_for(city.users.other_staff) if "/outsourcing/" in e.url]
    assert not [e for e in entries_for(city.users.auditor) if "/outsourcing/" in e.url]  # reads everything, acts on nothing


def test_the_warning_recomputes_after_the_correction(client, city, supervision):
    sub = supervision["sub"]
    services.contract_save(actor=city.users.office, contract=sub, base_version=token_for(sub), program=sub.program, contractor=sub.contractor, kind="sub",
                           parent=sub.parent, title=sub.title, starts_on=sub.starts_on, ends_on=sub.ends_on, approved_on=sub.parent.starts_on)
    assert not [e for e in entries_for(city.users.office) if e.title.startswith("書面承認")]
    client.force_login(city.users.office)
    assert total(client.get("/outsourcing/contracts/?warning=unapproved").content.decode()) == 0


def test_contract_list_pages_sorts_and_keeps_its_filters(client, city, supervision):
    office, teate, acme = city.users.office, city.programs.teate, supervision["acme"]
    Contract.objects.bulk_create([Contract(program=teate, contractor=acme, kind="lease", title=f"機器賃貸借{n:03d}", starts_on=D(2020, 4, 1) + n * DAY,
                                           ends_on=D(2030, 3, 31)) for n in range(120)])
    client.force_login(office)
    page = client.get("/outsourcing/contracts/").content.decode()
    assert "全123件（1〜50件目）" in page and "1 / 3 ページ" in page
    page = client.get("/outsourcing/contracts/?kind=lease&sort=title&page=3").content.decode()
    assert "全120件（101〜120件目）" in page and "絞り込み中：種類：賃貸借" in page
    titles = re.findall(r">(機器賃貸借\d{3})</a>", page)
    assert titles == [f"機器賃貸借{n:03d}" for n in range(100, 120)]
    assert 'href="?kind=lease&amp;sort=title&amp;page=2"' in page  # the page links keep the filter and the order
    assert 'aria-sort="ascending"' in page
    page = client.get("/outsourcing/contracts/?kind=lease&sort=-title").content.decode()
    assert re.findall(r">(機器賃貸借\d{3})</a>", page)[0] == "機器賃貸借119"
    page = client.get("/outsourcing/contracts/?q=データ").content.decode()
    assert total(page) == 1 and "絞り込み中：受注者・契約件名・事務事業：「データ」" in page


def test_the_lists_of_a_department_stop_at_its_scope(client, city, supervision):
    client.force_login(city.users.other_staff)
    assert total(client.get("/outsourcing/contracts/").content.decode()) == 0
    assert total(client.get("/outsourcing/inspections/").content.decode()) == 0
    client.force_login(city.users.staff)
    assert total(client.get("/outsourcing/contracts/").content.decode()) == 3


def test_contractor_filters(client, city, supervision):
    today = supervision["today"]
    assert [c.contractor.name for c in selectors.certifications_to_follow("expired", today)] == ["株式会社再受注"]  # 株式会社テスト's ISMS was renewed
    client.force_login(city.users.office)
    page = client.get("/outsourcing/contractors/?cert=none").content.decode()
    assert total(page) == 0
    services.contract_save(actor=city.users.office, program=city.programs.juki, contractor=supervision["sub_co"], kind="lease", title="端末賃貸借",
                           starts_on=today, ends_on=today + 365 * DAY)
    page = client.get("/outsourcing/contractors/?sort=-contracts").content.decode()
    names = re.findall(r">(株式会社[^<]+)</a></td>", page)
    assert total(page) == 3 and names[0] == "株式会社再受注"  # 2 contracts before 1
    page = client.get("/outsourcing/contractors/?sort=contracts").content.decode()
    assert re.findall(r">(株式会社[^<]+)</a></td>", page)[-1] == "株式会社再受注"
    page = client.get("/outsourcing/contractors/?cert=nonsense").content.decode()
    assert total(page) == 3  # an unknown filter is no filter, never an error
