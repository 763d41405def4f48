"""The list's filters and the home worklist (issue 12): one set of filters, so an entry's count is the list its link opens;
「7開庁日以内」 counted on the city's closure calendar; each department sees its own requests and their clocks."""
import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from mamori.conftest import make_user
from mamori.core.calendar import ClosureCalendar
from mamori.core.models import Role
from mamori.core.worklist import entries_for
from mamori.disclosure import selectors, services
from mamori.disclosure.models import ClockKind

D = datetime.date
TODAY = D(2024, 12, 20)  # a Friday; 12/29〜1/3 closed


def make(city, received, unit=None, procedure="personal-disclosure", subject="記録"):
    unit = unit or city.units.kyufu
    return services.request_create(actor=city.users.office, procedure=procedure, organ=city.organ, departments=[unit], received_on=received,
                                   requester_name="請求 花子", subject=subject, handler=city.users.office, documents=[(unit, "文書")])


@pytest.mark.parametrize(("today", "limit"), [
    (D(2024, 12, 20), D(2025, 1, 7)),   # Fri: 12/23〜27 (5); 12/28〜1/5 closed (土日・年末年始); 1/6, 1/7 (7)
    (D(2024, 6, 3), D(2024, 6, 12)),    # Mon: Tue..Fri (4), Mon..Wed (3) → Wed 6/12
    (D(2025, 4, 25), D(2025, 5, 9)),    # Golden Week: 4/28, 4/30, 5/1, 5/2, 5/7, 5/8, 5/9 (4/29, 5/3〜6 closed)
])
def test_soon_limit_counts_open_days(today, limit):
    assert selectors.soon_limit(today, ClosureCalendar()) == limit


def test_soon_limit_skips_a_city_closure_day():
    cal = ClosureCalendar(extra={D(2024, 6, 5): "庁舎停電"})
    assert selectors.soon_limit(D(2024, 6, 3), cal) == D(2024, 6, 13)


@pytest.fixture
def dated(city):
    overdue = make(city, D(2024, 10, 1))      # due 10/31
    soon = make(city, D(2024, 11, 25))        # due 12/25 (in 3 open days)
    later = make(city, D(2024, 12, 18))       # due 2025-01-17
    stopped = make(city, D(2024, 12, 10))
    services.clock_add(request=stopped, actor=city.users.office, kind=ClockKind.CORRECTION, start_on=D(2024, 12, 12))
    other = make(city, D(2024, 10, 2), unit=city.units.nozei)  # 収納課 納税係: overdue, not こども給付係's
    done = make(city, D(2024, 9, 2))
    services.document_decide(document=done.documents.get(), actor=city.users.office, decision="disclose", decided_on=D(2024, 9, 20))
    return {"overdue": overdue, "soon": soon, "later": later, "stopped": stopped, "other": other, "done": done}


def numbers(qs):
    return sorted(r.number for r in qs)


def test_due_groups(city, dated):
    cal = ClosureCalendar()
    seen = {g: numbers(selectors.filtered(city.users.office, {"due": g}, TODAY, cal).queryset) for g in selectors.GROUPS}
    assert seen == {"overdue": numbers([dated["overdue"], dated["other"]]), "soon": [dated["soon"].number], "later": [dated["later"].number],
                    "stopped": [dated["stopped"].number]}
    assert numbers(selectors.filtered(city.users.office, {"group": "overdue"}, TODAY, cal).queryset) == seen["overdue"]  # the older name


def test_filters_combine_and_say_what_is_on(city, dated):
    found = selectors.filtered(city.users.office, {"due": "overdue", "unit": "mirai", "procedure": "personal-disclosure"}, TODAY, ClosureCalendar())
    assert numbers(found.queryset) == [dated["overdue"].number]  # こども未来課 and the 係 beneath it
    assert [f.label for f in found.filters] == ["手続：保有個人情報開示請求", "期限：期限超過", "所管：こども・健康部 こども未来課（配下を含む）"]
    found = selectors.filtered(city.users.office, {"status": "decided"}, TODAY, ClosureCalendar())
    assert numbers(found.queryset) == [dated["done"].number]


def test_unknown_filters_and_units_out_of_sight_are_ignored(city, dated):
    found = selectors.filtered(city.users.office, {"due": "yesterday", "status": "lost", "procedure": "teleport", "unit": "no-such"}, TODAY, ClosureCalendar())
    assert found.filters == [] and found.queryset.count() == 6
    found = selectors.filtered(city.users.staff, {"unit": "nozei"}, TODAY, ClosureCalendar())  # こども未来課 cannot narrow to 納税係
    assert found.filters == [] and dated["other"].number not in numbers(found.queryset)


def test_a_department_sees_only_its_requests(city, dated):
    assert dated["other"].number not in numbers(selectors.requests_visible(city.users.staff))
    assert numbers(selectors.requests_visible(city.users.other_staff)) == [dated["other"].number]
    assert selectors.requests_visible(city.users.council).count() == 0


def url_params(url):
    parts = urlsplit(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_the_office_worklist_counts_what_its_links_list(city, dated):
    entries = {e.title: e for e in selectors.worklist(city.users.office, today=TODAY)}
    overdue, soon = entries["期限を過ぎた請求"], entries["7開庁日以内に期限の請求"]
    assert overdue.urgent and overdue.count == 2 and not soon.urgent and soon.count == 1
    for entry in (overdue, soon):
        path, params = url_params(entry.url)
        assert path == "/requests/"
        assert entry.count == selectors.filtered(city.users.office, params, TODAY).queryset.count()
    assert [i.label for i in overdue.items] == [f"{dated['overdue'].number} 記録", f"{dated['other'].number} 記録"]  # the most overdue first
    assert overdue.items[0].note == "保有個人情報開示請求・期限 令和6年10月31日（木）・35開庁日超過" and overdue.items[0].urgent
    assert soon.items[0].note == "保有個人情報開示請求・期限 令和6年12月25日（水）・あと3開庁日" and not soon.items[0].urgent
    assert soon.hint == "本日から7開庁日以内（令和7年1月7日（火）まで）に決定期限が来ます。"


def test_a_department_drafter_of_a_kakari_sees_its_overdue_request(city, dated):
    drafter = make_user("kyufu-staff", Role.DEPT_STAFF, city.units.kyufu)
    entries = list(selectors.worklist(drafter, today=TODAY))
    assert [e.title for e in entries] == ["こども給付係の請求：期限超過", "こども給付係の処理中の請求"]
    overdue, open_ = entries
    assert overdue.urgent and overdue.count == 1 and overdue.items[0].label.startswith(dated["overdue"].number)
    assert open_.count == 4 and not open_.urgent  # overdue, soon, later, stopped: their clocks, the overdue one marked
    assert [i.urgent for i in open_.items] == [True, False, False, False]
    assert open_.items[-1].note == "保有個人情報開示請求・補正中（期限停止）"
    for entry in entries:
        path, params = url_params(entry.url)
        assert params["unit"] == "kyufu" and entry.count == selectors.filtered(drafter, params, TODAY).queryset.count()


def test_a_manager_without_overdue_work_gets_no_urgent_card(city, dated):
    manager = city.users.other_manager  # 収納課: its one request is overdue
    assert [e.urgent for e in selectors.worklist(manager, today=TODAY)] == [True, False]
    services.document_decide(document=dated["other"].documents.get(), actor=city.users.office, decision="disclose", decided_on=TODAY)
    (entry,) = selectors.worklist(manager, today=TODAY)
    assert entry.title == "収納課の処理中の請求" and entry.count == 0 and not entry.urgent


def test_roles_without_requests_to_handle_get_no_entry(city, dated):
    for user in (city.users.auditor, city.users.council, city.users.sysadmin):
        assert list(selectors.worklist(user, today=TODAY)) == []


def test_the_worklist_is_on_the_home_page(client, city):
    make(city, timezone.localdate() - datetime.timedelta(days=60))
    client.force_login(city.users.staff)
    page = client.get("/").content.decode()
    assert "こども未来課の請求：期限超過" in page and "開庁日超過" in page
    assert [e.title for e in entries_for(city.users.staff)][0] == "こども未来課の請求：期限超過"  # urgent first
