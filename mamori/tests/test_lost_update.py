"""No lost update (issue 11): for each edit form, two people load it, both save; the second is refused
with the first one's change listed, the first one's change stays, the second one's input comes back,
and a second, knowing save goes through. Real views, real database, real forms (parsed from the page)."""
import datetime

import lxml.html
import pytest
from django.test import Client

from mamori.conftest import PASSWORD, make_user
from mamori.core.calendar import wareki
from mamori.core.concurrency import StaleEdit, token_for
from mamori.core.models import Role
from mamori.council import services as council
from mamori.disclosure import services as disclosure
from mamori.disclosure.models import NoticeKind, NoticeTemplate
from mamori.handbooks import services as handbooks
from mamori.incidents import services as incidents
from mamori.outsourcing import services as outsourcing
from mamori.outsourcing.tests.test_outsourcing import setup  # noqa: F401  (fixture)
from mamori.outsourcing.tests.test_screens import checklist_post
from mamori.register import services as register
from mamori.register.models import Item, Notification, NotificationKind, NotificationStatus
from mamori.tests.conftest import login


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(response, field: str | None = None) -> dict:
    """What the browser would send: the values of the page's form that carries a version (and ``field``)."""
    assert response.status_code == 200, response.status_code
    page = lxml.html.fromstring(response.content.decode())
    form = next(f for f in page.forms if f.xpath(".//input[contains(@name, 'base_version')]") and (field is None or field in f.fields))
    # A browser drops the newline that opens a <textarea>'s text (HTML: "textarea" element parsing).
    return {k: v[1:] if v.startswith("\n") else v for k, v in form.form_values()}


def stale_box(response) -> str:
    page = lxml.html.fromstring(response.content.decode())
    boxes = page.xpath("//div[contains(@class, 'stale-edit')]")
    assert boxes, "no 'changed meanwhile' box on the page"
    return boxes[0].text_content()


def lost_update(first_user, second_user, page, field, first, second, stored, *, extra=None, post=None):
    """The whole story on one form; ``stored()`` reads the field from the database. ``post``: where
    the form sends to, when that is not the page itself (a form on a record's page)."""
    a, b = _client(first_user), _client(second_user)
    url = post or page
    data_a, data_b = form_data(a.get(page), field), form_data(b.get(page), field)
    assert a.post(url, {**data_a, **(extra or {}), field: first}).status_code == 302
    refused = b.post(url, {**data_b, **(extra or {}), field: second})
    assert refused.status_code == 200
    box = stale_box(refused)
    assert "保存していません" in box and first in box and str(first_user) in box
    assert stored() == first                                  # the first one's change is still there
    again = form_data(refused, field)
    assert again[field] == second                              # the second one's input is kept
    assert again[next(k for k in again if k.endswith("base_version"))] != data_b[next(k for k in data_b if k.endswith("base_version"))]
    assert b.post(url, {**again, **(extra or {})}).status_code == 302  # knowing save: goes through
    assert stored() == second
    return box


@pytest.fixture
def office2(city):
    return make_user("office2", Role.PRIVACY_OFFICE, city.units.joho)


@pytest.fixture
def sysadmin2(city):
    return make_user("sysadmin2", Role.SYSADMIN, city.units.joho)


def test_lost_update_unit_edit(city, sysadmin2):
    unit = city.units.mirai
    box = lost_update(city.users.sysadmin, sysadmin2, f"/organisation/{unit.pk}/edit/", "name", "こども未来課A", "こども未来課B",
                      lambda: type(unit).objects.get(pk=unit.pk).name)
    assert "名称" in box and "こども未来課" in box  # label: before → now


def test_lost_update_user_edit(city, sysadmin2):
    target = city.users.staff
    lost_update(city.users.sysadmin, sysadmin2, f"/users/{target.pk}/edit/", "display_name", "山田 一郎", "山田 次郎",
                lambda: type(target).objects.get(pk=target.pk).display_name)


def test_lost_update_user_edit_ignores_login(city, sysadmin2):
    """Logging in is no edit of the user: the admin's save is not refused for it."""
    target = city.users.staff
    b = _client(sysadmin2)
    data = form_data(b.get(f"/users/{target.pk}/edit/"))
    assert Client().login(username="staff", password="test-pass-123")
    assert b.post(f"/users/{target.pk}/edit/", {**data, "display_name": "変更後"}).status_code == 302


def test_lost_update_vocabulary_edit(city, office2):
    item = Item.objects.get(name="住所")
    lost_update(city.users.office, office2, f"/register/vocabulary/{item.pk}/edit/", "note", "郵便番号を含む", "方書を含む",
                lambda: Item.objects.get(pk=item.pk).note)


def test_lost_update_meeting_edit(city, office2):
    meeting = council.meeting_create(actor=city.users.office, fiscal_year=2025, number=1, date=datetime.date(2025, 7, 1), place="第1会議室")
    lost_update(city.users.office, office2, f"/council/meetings/{meeting.pk}/edit/", "place", "第2会議室", "第3会議室",
                lambda: type(meeting).objects.get(pk=meeting.pk).place)


def test_lost_update_notice_template_edit(city, office2):
    kind = NoticeKind.values[0]
    url = f"/requests/notice-templates/{kind}/"
    lost_update(city.users.office, office2, url, "title", "表題A", "表題B", lambda: NoticeTemplate.objects.get(kind=kind).title)


def test_lost_update_notice_template_created_meanwhile(city, office2):
    """Nobody had saved the template yet: two first saves, the second is told the first one's text."""
    kind = NoticeKind.values[1]
    url = f"/requests/notice-templates/{kind}/"
    a, b = _client(city.users.office), _client(office2)
    data_a, data_b = form_data(a.get(url)), form_data(b.get(url))
    assert a.post(url, {**data_a, "title": "最初の表題"}).status_code == 302
    refused = b.post(url, {**data_b, "title": "別の表題"})
    assert "最初の表題" in stale_box(refused) and NoticeTemplate.objects.get(kind=kind).title == "最初の表題"
    assert form_data(refused)["title"] == "別の表題"


def test_lost_update_incident_edit(city, office2):
    incident = incidents.incident_save(actor=city.users.office, title="書類の誤送付", summary="通知書を別の世帯に送付した。",
                                       learned_on=datetime.date(2025, 6, 2), unit=city.units.mirai, groups=[("受給者", 1)])
    lost_update(city.users.office, office2, f"/incidents/{incident.pk}/edit/", "title", "通知書の誤送付", "書類の誤送付（2件）",
                lambda: type(incident).objects.get(pk=incident.pk).title)


def test_lost_update_incident_edit_groups(city, office2):
    """The affected groups are edited with the incident: a change to them makes the version stale too."""
    incident = incidents.incident_save(actor=city.users.office, title="誤送付", summary="概要",
                                       learned_on=datetime.date(2025, 6, 2), unit=city.units.mirai, groups=[("受給者", 1)])
    url = f"/incidents/{incident.pk}/edit/"
    a, b = _client(city.users.office), _client(office2)
    data_a, data_b = form_data(a.get(url)), form_data(b.get(url))
    assert a.post(url, {**data_a, "groups_text": "受給者,3"}).status_code == 302
    refused = b.post(url, {**data_b, "summary": "概要（追記）"})
    assert "本人の区分と人数" in stale_box(refused) and "受給者,3" in stale_box(refused)
    assert list(incident.groups.values_list("count", flat=True)) == [3]


def test_lost_update_incident_confirm_what_was_seen(city, office2):
    """報告要否の確認: the office confirms the assessment it saw. Facts changed after its page was loaded
    are shown and nothing is confirmed; the note typed stays; confirming again, knowingly, works."""
    incident = incidents.incident_save(actor=city.users.office, title="誤送付", summary="概要",
                                       learned_on=datetime.date(2025, 6, 2), unit=city.units.mirai, groups=[("受給者", 1)])
    url = f"/incidents/{incident.pk}/"
    a, b = _client(city.users.office), _client(office2)
    seen = form_data(b.get(url))
    edit = form_data(a.get(f"/incidents/{incident.pk}/edit/"))
    assert a.post(f"/incidents/{incident.pk}/edit/", {**edit, "malicious": "on"}).status_code == 302
    refused = b.post(f"/incidents/{incident.pk}/confirm/", {**seen, "override": "no", "note": "委託先で回収済み"})
    assert refused.status_code == 200 and "不正の目的" in stale_box(refused)
    assert not type(incident).objects.get(pk=incident.pk).confirmed
    again = form_data(refused)
    assert again["note"] == "委託先で回収済み" and again["override"] == "no"
    b.post(f"/incidents/{incident.pk}/confirm/", again)
    assert type(incident).objects.get(pk=incident.pk).confirmed


def test_lost_update_contractor_edit(city, office2):
    contractor = outsourcing.contractor_save(actor=city.users.office, name="株式会社まもり情報")
    lost_update(city.users.office, office2, f"/outsourcing/contractors/{contractor.pk}/edit/", "address", "朝霞市本町1-1", "朝霞市本町2-2",
                lambda: type(contractor).objects.get(pk=contractor.pk).address)


def test_lost_update_document_decide(city, office2):
    r = disclosure.request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
                                  received_on=datetime.date(2025, 5, 1), requester_name="請求 花子", subject="記録", handler=city.users.office,
                                  documents=[(city.units.kyufu, "児童手当の記録")])
    doc = r.documents.get()
    box = lost_update(city.users.office, office2, f"/requests/{r.number}/", f"d{doc.pk}-reason_text", "氏名以外を開示", "全部を開示",
                      lambda: type(doc).objects.get(pk=doc.pk).reason_text, post=f"/requests/{r.number}/documents/{doc.pk}/decide/",
                      extra={f"d{doc.pk}-decision": "partial", f"d{doc.pk}-decided_on": "2025-05-20"})
    assert "理由の説明" in box and "決定" in box


def test_lost_update_finding_save(city, setup):  # noqa: F811
    contract = setup[3]
    staff2 = make_user("staff2", Role.DEPT_STAFF, city.units.mirai)
    _client(city.users.staff).post(f"/outsourcing/contracts/{contract.pk}/inspections/", checklist_post(5, "保管庫が施錠されていなかった"))
    finding = contract.inspections.get().findings.get()
    f = f"fnd{finding.pk}"
    lost_update(city.users.staff, staff2, f"/outsourcing/contracts/{contract.pk}/", f"{f}-action", "施錠の点検簿を作る", "鍵を交換する",
                lambda: type(finding).objects.get(pk=finding.pk).action, post=f"/outsourcing/contracts/{contract.pk}/findings/{finding.pk}/")


def test_lost_update_appeal_edit(city, office2):
    r = disclosure.request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
                                  received_on=datetime.date(2025, 5, 1), requester_name="請求 花子", subject="記録", handler=city.users.office,
                                  documents=[(city.units.kyufu, "児童手当の記録")])
    appeal = disclosure.appeal_save(request=r, actor=city.users.office, filed_on=datetime.date(2025, 7, 1))
    p = f"appeal{appeal.pk}"
    lost_update(city.users.office, office2, f"/requests/{r.number}/", f"{p}-note", "諮問の準備中", "審査会の日程調整中",
                lambda: type(appeal).objects.get(pk=appeal.pk).note, post=f"/requests/{r.number}/appeals/{appeal.pk}/")


def test_lost_update_correction_returned(city, office2):
    """補正の完了: recorded by one, then by another from the page loaded before: refused, the first date
    stays, and the form comes back with the date the second one typed."""
    r = disclosure.request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
                                  received_on=datetime.date(2025, 5, 1), requester_name="請求 花子", subject="記録", handler=city.users.office,
                                  documents=[(city.units.kyufu, "児童手当の記録")])
    event = disclosure.clock_add(request=r, actor=city.users.office, kind="correction", start_on=datetime.date(2025, 5, 7))
    # typed as a person types a date, read back in 和暦 (the stale-edit box shows values as the audit log does)
    lost_update(city.users.office, office2, f"/requests/{r.number}/", f"ret{event.pk}-end_on", "令和7年5月12日", "令和7年5月13日",
                lambda: wareki(type(event).objects.get(pk=event.pk).end_on), post=f"/requests/{r.number}/clock/{event.pk}/returned/")


def _draft(city) -> Notification:
    return register.notification_create(
        actor=city.users.staff, kind=NotificationKind.CHANGE, program=city.programs.teate, reason="制度改正", content="項目の追加",
        proposed=register.version_to_dict(register.prefetch_version(type(city.programs.teate.current).objects.filter(
            pk=city.programs.teate.current_id)).get()),
        effective_date=datetime.date(2025, 10, 1),
    )


def test_lost_update_notification_draft(city):
    n = _draft(city)
    staff2 = make_user("staff2", Role.DEPT_STAFF, city.units.mirai)
    box = lost_update(city.users.staff, staff2, f"/register/notifications/{n.number}/edit/", "n-reason", "制度改正（第1版）", "制度改正（第2版）",
                      lambda: Notification.objects.get(pk=n.pk).reason)
    assert "理由及び経緯" in box


def test_lost_update_notification_draft_proposed_content(city):
    """A change to the 届出's content (its 登録内容) is listed as a 新旧対照 row, not as raw data."""
    n = _draft(city)
    staff2 = make_user("staff2", Role.DEPT_STAFF, city.units.mirai)
    url = f"/register/notifications/{n.number}/edit/"
    a, b = _client(city.users.staff), _client(staff2)
    data_a, data_b = form_data(a.get(url)), form_data(b.get(url))
    assert a.post(url, {**data_a, "p-purpose": "児童手当の支給と資格の確認のため。"}).status_code == 302
    refused = b.post(url, {**data_b, "n-content": "別の内容"})
    box = stale_box(refused)
    assert "届出後の内容・利用目的" in box and "児童手当の支給と資格の確認のため。" in box and "{" not in box


def test_lost_update_imported_review(city, office2):
    source = register.ingest_source_create(actor=None, file_name="r6-1.txt", sha256="0" * 64, size=1, text="x", meeting=None)
    n = register.notification_import(
        actor=None, source=source, kind=NotificationKind.NEW, unit=city.units.mirai, program=None, reason="読み取った理由", content="読み取った内容",
        effective_date=datetime.date(2025, 4, 1), source_block="x", extracted={"program": "新しい事業", "items": ["氏名"]}, import_key="k1",
    )
    url = f"/register/notifications/{n.number}/"
    a, b = _client(city.users.office), _client(office2)
    data_a, data_b = form_data(a.get(url)), form_data(b.get(url))
    review = f"/register/notifications/{n.number}/review/"
    assert a.post(review, {**data_a, "reason": "直した理由"}).status_code == 302
    refused = b.post(review, {**data_b, "reason": "別に直した理由"})
    assert refused.status_code == 200
    assert "直した理由" in stale_box(refused) and Notification.objects.get(pk=n.pk).reason == "直した理由"
    again = form_data(refused)
    assert again["reason"] == "別に直した理由"
    assert b.post(review, again).status_code == 302 and Notification.objects.get(pk=n.pk).reason == "別に直した理由"


def test_lost_update_approve_what_was_seen(city):
    """承認: the 課長 approves the 届出 they saw. Returned, edited and submitted again after their page
    was loaded, it is refused, with what changed; from a fresh page it goes through."""
    n = _draft(city)
    register.notification_submit(notification=n, actor=city.users.staff)
    manager = _client(city.users.manager)
    seen = form_data(manager.get(f"/register/notifications/{n.number}/"))
    register.notification_return(notification=n, actor=city.users.manager, comment="理由を詳しく")
    register.notification_update(notification=n, actor=city.users.staff, reason="制度改正（令和7年法律第1号）", content=n.content,
                                 proposed=n.proposed, effective_date=n.effective_date)
    register.notification_submit(notification=n, actor=city.users.staff)
    response = manager.post(f"/register/notifications/{n.number}/approve/", {"base_version": seen["base_version"], "comment": ""}, follow=True)
    text = response.content.decode()
    assert "画面を開いた後に" in text and "制度改正（令和7年法律第1号）" in text
    assert Notification.objects.get(pk=n.pk).status == NotificationStatus.SUBMITTED
    fresh = form_data(manager.get(f"/register/notifications/{n.number}/"))
    manager.post(f"/register/notifications/{n.number}/approve/", {"base_version": fresh["base_version"], "comment": ""})
    assert Notification.objects.get(pk=n.pk).status == NotificationStatus.APPROVED


def test_lost_update_action_without_version_is_refused(city):
    """A hand-made POST that carries no version is not taken for a knowing one."""
    n = _draft(city)
    _client(city.users.staff).post(f"/register/notifications/{n.number}/submit/", {"comment": ""})
    assert Notification.objects.get(pk=n.pk).status == NotificationStatus.DRAFT


def test_lost_update_disclosure_template_service_is_checked_in_the_transaction(city):
    """The service, not only the view, refuses: a stale token raises StaleEdit and writes nothing."""
    kind = NoticeKind.values[0]
    disclosure.notice_template_save(actor=city.users.office, kind=kind, title="一", body="本文", teaching="")
    token = token_for(NoticeTemplate.objects.get(kind=kind))
    disclosure.notice_template_save(actor=city.users.office, kind=kind, title="二", body="本文", teaching="", base_version=token)
    with pytest.raises(StaleEdit) as refused:
        disclosure.notice_template_save(actor=city.users.office, kind=kind, title="三", body="本文", teaching="", base_version=token)
    assert refused.value.changes[0].before == "一" and refused.value.changes[0].now == "二"
    assert NoticeTemplate.objects.get(kind=kind).title == "二"


@pytest.mark.django_db(transaction=True)
def test_lost_update_two_simultaneous_saves_only_one_passes(city):
    """Two saves of the same 届出, based on the same version, at the same moment (two threads, two
    database connections). Each save pauses after its check and before its write (a pre_save
    receiver), so without the row lock both checks would pass; with it exactly one is saved."""
    import threading
    import time

    from django.db import OperationalError, connection
    from django.db.models.signals import pre_save


    n = _draft(city)
    token = token_for(n)
    start, results = threading.Barrier(2), []

    def slow(sender, **kwargs):
        time.sleep(0.4)

    def save(reason):
        try:
            start.wait()
            register.notification_update(notification=n, actor=city.users.staff, reason=reason, content=n.content,
                                         proposed=n.proposed, effective_date=n.effective_date, base_version=token)
            results.append(("saved", reason))
        except StaleEdit as exc:
            results.append(("refused", exc.changes[0].now))
        except OperationalError as exc:  # SQLite's shared in-memory test database: see below
            results.append(("locked", str(exc)))
        finally:
            connection.close()

    pre_save.connect(slow, sender=Notification)
    try:
        threads = [threading.Thread(target=save, args=(r,)) for r in ("一人目の理由", "二人目の理由")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        pre_save.disconnect(slow, sender=Notification)
    outcomes = sorted(kind for kind, _ in results)
    saved = next(reason for kind, reason in results if kind == "saved")
    assert Notification.objects.get(pk=n.pk).reason == saved
    if connection.vendor == "sqlite" and outcomes == ["locked", "saved"]:
        # The test database is SQLite's shared-cache memory database, whose table lock fails the
        # second transaction at once instead of making it wait (a file database, as deployed, waits:
        # transaction_mode IMMEDIATE, then refuses it as stale). Either way one save only.
        print("SQLite shared-cache test database: the second save failed on the table lock (no write), not as StaleEdit")
        return
    assert outcomes == ["refused", "saved"], results
    refused_saw = next(now for kind, now in results if kind == "refused")
    assert refused_saw == saved  # the refusal names the winner's text


def test_lost_update_notification_draft_in_two_browsers(browser, live_server, transactional_db, city, tmp_path):
    """Two people edit the same draft 届出 in two Chromium windows. The second save is refused with the
    first one's change shown, and with the second one's text still in the box; saving again, knowingly, works."""
    from playwright.sync_api import expect


    n = _draft(city)
    make_user("staff2", Role.DEPT_STAFF, city.units.mirai)
    pages = []
    for username in ("staff", "staff2"):
        context = browser.new_context(locale="ja-JP", base_url=live_server.url, viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(10_000)
        page = context.new_page()
        login(page, username, PASSWORD)
        page.goto(f"/register/notifications/{n.number}/edit/")
        pages.append(page)
    first, second = pages
    first.get_by_label("理由及び経緯").fill("一人目が直した理由")
    first.get_by_role("button", name="保存").click()
    expect(first.get_by_text("届出を保存しました。")).to_be_visible()

    second.get_by_label("理由及び経緯").fill("二人目が直した理由")
    second.get_by_role("button", name="保存").click()
    box = second.locator(".stale-edit")
    expect(box).to_be_visible()
    expect(box).to_contain_text("保存していません")
    expect(box.locator("tr", has_text="理由及び経緯")).to_contain_text("一人目が直した理由")
    expect(box).to_contain_text("staff")
    expect(second.get_by_label("理由及び経緯")).to_have_value("二人目が直した理由")
    shot = tmp_path / "lost-update-refused.png"
    second.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert Notification.objects.get(pk=n.pk).reason == "一人目が直した理由"

    second.get_by_role("button", name="保存").click()
    expect(second.get_by_text("届出を保存しました。")).to_be_visible()
    assert Notification.objects.get(pk=n.pk).reason == "二人目が直した理由"
    for page in pages:
        page.context.close()


@pytest.fixture
def revision(city):

    handbook = handbooks.handbook_create(name="個人情報保護制度の手引", actor=city.users.office)
    a = handbooks.edition_create(handbook=handbook, label="旧版", issued_on=datetime.date(2023, 4, 1), pages=[{"number": 5, "lines": ["次の２つの機関"]}], actor=None)
    b = handbooks.edition_create(handbook=handbook, label="新版", issued_on=datetime.date(2024, 4, 1), pages=[{"number": 5, "lines": ["次の機関"]}], actor=None)
    return handbooks.revision_create(handbook=handbook, from_edition=a, to_edition=b, reason="公社の除外", actor=None)


def test_lost_update_handbook_edition_text(city, office2, revision):
    edition = revision.from_edition
    box = lost_update(city.users.office, office2, f"/handbooks/editions/{edition.pk}/", "text", "一行目", "別の一行目",
                      lambda: "\n".join(type(edition).objects.get(pk=edition.pk).pages[0]["lines"]))
    assert "本文" in box and "lines" not in box  # the text as typed, not the stored structure


def test_lost_update_handbook_revision_reason(city, office2, revision):
    lost_update(city.users.office, office2, f"/handbooks/revisions/{revision.pk}/", "reason", "土地開発公社の除外", "公社の解散",
                lambda: type(revision).objects.get(pk=revision.pk).reason)


def test_lost_update_handbook_revision_row(city, office2, revision):
    row = revision.rows.get()
    lost_update(city.users.office, office2, f"/handbooks/revisions/{revision.pk}/", f"row{row.pk}-after", "次の機関（一）", "次の機関（二）",
                lambda: type(row).objects.get(pk=row.pk).after, post=f"/handbooks/revisions/{revision.pk}/rows/{row.pk}/")
