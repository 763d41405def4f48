"""Each role's worklist: the home page's entries count exactly what their filtered 届出 list shows."""
import datetime

import pytest

from mamori.conftest import version_data
from mamori.core import actions, worklist
from mamori.register import selectors, services
from mamori.register.models import NotificationKind, NotificationStatus
from mamori.register.tests.test_workflow import current_dict, draft_change


def _new(city, name, actor=None):

    return services.notification_create(actor=actor or city.users.staff, kind=NotificationKind.NEW, program=None,
                                        proposed=version_data(name, city.units.kyufu), reason="始めるため", content="新しく始める。",
                                        effective_date=datetime.date(2030, 4, 1))


@pytest.fixture
def day(city):
    """One 届出 in each state for こども未来課: a draft, a returned one, one waiting for the 課長, one for the office."""
    staff, manager, office = city.users.staff, city.users.manager, city.users.office
    draft = _new(city, "下書きの事業")
    returned = _new(city, "差し戻された事業")
    services.notification_submit(notification=returned, actor=staff)
    services.notification_return(notification=returned, actor=manager, comment="項目を確認してください。")
    submitted = draft_change(city)
    services.notification_submit(notification=submitted, actor=staff)
    approved = _new(city, "審査を待つ事業")
    services.notification_submit(notification=approved, actor=staff)
    services.notification_approve(notification=approved, actor=manager)
    own = _new(city, "課長が自分で作った事業", actor=manager)  # the 課長 may not approve their own
    services.notification_submit(notification=own, actor=manager)
    return {"draft": draft, "returned": returned, "submitted": submitted, "approved": approved, "own": own, "office": office}


def entries(user) -> dict:
    return {e.title: e for e in worklist.entries_for(user)}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("office", {"審査待ち（課長承認済み）": ["approved"]}),
        ("staff", {"差し戻された届出": ["returned"], "作成中の届出": ["draft"]}),
        ("manager", {"承認待ち（あなたの承認を待つ届出）": ["submitted"]}),  # not the one they drafted
        ("other_staff", {"差し戻された届出": [], "作成中の届出": []}),  # another 課 sees none of them
        ("auditor", {}),
    ],
)
def test_each_role_gets_its_own_entries_and_each_opens_exactly_what_it_counts(client, city, day, role, expected):
    user = getattr(city.users, role)
    register_entries = {t: e for t, e in entries(user).items() if "queue=" in e.url}
    assert set(register_entries) == set(expected)
    client.force_login(user)
    for title, keys in expected.items():
        entry = register_entries[title]
        numbers = [day[k].number for k in keys]
        assert entry.count == len(numbers)
        assert [item.label.split()[0] for item in entry.items] == numbers  # the first few, named
        assert all(item.url.endswith(f"/notifications/{n}/") for item, n in zip(entry.items, numbers))
        page = client.get(entry.url).content.decode()
        listed = [n.number for n in selectors.queue_notifications(user, entry.url.split("queue=")[1])]
        assert sorted(listed) == sorted(numbers)
        assert "絞り込み中" in page and "絞り込みを解除" in page
        assert (f"全{len(numbers)}件" in page) if numbers else ("ありません。" in page)
        for n in day.values():
            if hasattr(n, "number"):
                assert (f">{n.number}</a>" in page) is (n.number in numbers), (title, n.number)


def test_a_queue_the_user_does_not_have_filters_nothing_away(client, city, day):
    client.force_login(city.users.staff)
    page = client.get("/register/notifications/?queue=review").content.decode()  # the office's queue
    assert "絞り込み中" not in page and day["draft"].number in page
    assert selectors.queue_notifications(city.users.staff, "review").count() == 0


def test_status_filter_and_sorting(client, city, day):
    client.force_login(city.users.staff)
    page = client.get("/register/notifications/?status=returned").content.decode()
    assert "状態が<strong>差戻し</strong>" in page and day["returned"].number in page and day["draft"].number not in page
    page = client.get("/register/notifications/?sort=name").content.decode()
    page = page[page.index('id="all-h"'):]  # the list below the boxes
    names = ["下書きの事業", "児童手当給付事業", "審査を待つ事業", "差し戻された事業", "課長が自分で作った事業"]
    positions = [page.index(f"<td>{name}</td>") for name in names]
    assert positions == sorted(positions)  # by the program's name, as the list shows it
    assert 'aria-sort="ascending"' in page


def test_an_office_member_who_drafted_one_does_not_review_it(city, day):
    services.notification_return(notification=day["approved"], actor=city.users.office, comment="直してください。")
    assert selectors.queue_notifications(city.users.office, "review").count() == 0


def test_acceptance_outcome_names_the_version_it_creates(city, day):
    assert selectors.acceptance_outcome(day["submitted"]) == "「児童手当給付事業」の第2版"
    assert selectors.acceptance_outcome(day["approved"]) == "事務事業「審査を待つ事業」の第1版（管理簿への新規登録）"
    proposed = current_dict(city.programs.juki)
    abolish = services.notification_create(actor=city.users.other_staff, kind=NotificationKind.ABOLISH, program=city.programs.juki,
                                           proposed=proposed, reason="廃止", content="廃止する。", effective_date=datetime.date(2030, 3, 31))
    assert selectors.acceptance_outcome(abolish) == "「住民基本台帳管理事業」の第2版（廃止）"


def test_the_upload_is_offered_on_the_register_pages_by_the_council(client, city):
    """The register names no council URL: the link comes from core.actions, contributed by the council."""
    assert [a.url for a in actions.actions_for("register:notifications", city.users.office)] == ["/council/ingest/"]
    assert actions.actions_for("register:notifications", city.users.staff) == []
    client.force_login(city.users.office)
    assert 'href="/council/ingest/"' in client.get("/register/notifications/").content.decode()
    assert 'href="/council/ingest/"' in client.get("/register/imports/").content.decode()
    client.force_login(city.users.auditor)
    assert 'href="/council/ingest/"' not in client.get("/register/imports/").content.decode()


def test_council_entry_opens_the_list_of_what_waits_for_a_meeting(client, city, day):
    services.notification_accept(notification=day["approved"], actor=city.users.office)
    entry = entries(city.users.office)["審議会への報告待ちの届出"]
    assert entry.count == 1 and entry.url == "/council/awaiting/" and entry.items[0].label.startswith(day["approved"].number)
    client.force_login(city.users.council)
    page = client.get(entry.url).content.decode()
    assert day["approved"].number in page and "全1件" in page
    assert entries(city.users.council)["審議会への報告待ちの届出"].items[0].url == "/council/awaiting/"  # members read no 届出
    assert NotificationStatus.ACCEPTED == day["approved"].__class__.objects.get(pk=day["approved"].pk).status
