"""速報・確報 still to be sent (規則第44条) as dated tables; the home page's entries and the list they link to;
corrections audited, stale or unpermitted ones refused; the 確認 form that comes back; the city's closure days."""
import datetime
import re

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mamori.core.concurrency import StaleEdit, token_for
from mamori.core.models import AuditEvent, ClosureDay
from mamori.core.worklist import entries_for
from mamori.incidents import rules, services
from mamori.incidents.models import Incident

D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("learned", "today", "overdue", "urgent", "note"),
    [
        (D(2024, 6, 3), D(2024, 6, 3), False, False, "速報の目安 令和6年6月7日（金）・あと4日"),  # day 1
        (D(2024, 6, 3), D(2024, 6, 5), False, True, "速報の目安 令和6年6月7日（金）・あと2日"),  # day 3: the target window opens
        (D(2024, 6, 3), D(2024, 6, 7), False, True, "速報の目安 令和6年6月7日（金）・本日まで"),  # day 5
        (D(2024, 6, 3), D(2024, 6, 10), True, True, "速報の目安 令和6年6月7日（金）・3日超過"),
    ],
)
def test_sokuhou_due(learned, today, overdue, urgent, note):
    due = rules.sokuhou_due(rules.clocks(learned, False), None, today)
    assert (due.overdue, due.urgent, due.note) == (overdue, urgent, note)
    assert rules.sokuhou_due(rules.clocks(learned, False), learned, today) is None  # sent: nothing due


@pytest.mark.parametrize(
    ("learned", "malicious", "today", "overdue", "urgent", "note"),
    [
        (D(2024, 6, 3), False, D(2024, 6, 20), False, False, "確報の期限 令和6年7月2日（火）・あと12日"),
        (D(2024, 6, 3), False, D(2024, 6, 25), False, True, "確報の期限 令和6年7月2日（火）・あと7日"),  # within a week
        (D(2024, 6, 3), False, D(2024, 7, 3), True, True, "確報の期限 令和6年7月2日（火）・1日超過"),
        (D(2024, 6, 3), True, D(2024, 7, 3), False, False, "確報の期限 令和6年8月1日（木）・あと29日"),  # 第3号: 60 days
        (D(2024, 12, 1), False, D(2024, 12, 30), False, True, "確報の期限 令和7年1月6日（月）・あと7日"),  # day 30 in 年末年始
    ],
)
def test_kakuhou_due(learned, malicious, today, overdue, urgent, note):
    due = rules.kakuhou_due(rules.clocks(learned, malicious), None, today)
    assert (due.overdue, due.urgent, due.note) == (overdue, urgent, note)


def test_the_clock_explains_itself_in_wareki():
    steps = rules.clocks(D(2024, 12, 1), False).steps
    assert steps[0] == "職員が知った日 令和6年12月1日（日）を1日目として数えます。"
    assert steps[-1].startswith("令和6年12月30日（月）は閉庁日（") and steps[-1].endswith("令和7年1月6日（月）とします。")


def test_a_city_closure_day_moves_the_kakuhou(city):
    incident = services.incident_save(actor=city.users.office, title="誤送付", summary="概要", learned_on=D(2024, 6, 3), unit=city.units.kyufu,
                                      groups=[("受給者", 150)])
    assert services.clocks_for(incident).kakuhou_by == D(2024, 7, 2)
    ClosureDay.objects.create(date=D(2024, 7, 2), name="市の創立記念日")
    clocks = services.clocks_for(incident)
    assert clocks.kakuhou_by == D(2024, 7, 3) and "市の創立記念日" in clocks.steps[-1]


@pytest.fixture
def open_incidents(city):
    office, today = city.users.office, timezone.localdate()

    def save(title, learned, persons, **extra):
        return services.incident_save(actor=office, title=title, summary="概要", learned_on=learned, unit=city.units.kyufu,
                                      groups=[("受給者", persons)], **extra)

    return dict(
        late=save("速報が遅れている事案", today - 8 * DAY, 150),  # reportable (over 100): 速報 past its target, 確報 due in 22 days
        sent=save("速報済みの事案", today - 26 * DAY, 150, sokuhou_on=today - 24 * DAY),  # 確報 due in 4 days
        done=save("報告を終えた事案", today - 40 * DAY, 150, sokuhou_on=today - 38 * DAY, kakuhou_on=today - 20 * DAY),
        small=save("報告不要の事案", today - 8 * DAY, 3),  # not reportable: no clock to chase
    )


def test_entries_count_what_the_filtered_list_shows(client, city, open_incidents):
    client.force_login(city.users.office)
    mine = {e.title: e for e in entries_for(city.users.office) if "/incidents/" in e.url}
    sokuhou, kakuhou = mine["漏えい等の速報がまだの事案"], mine["漏えい等の確報がまだの事案"]
    assert (sokuhou.count, [i.label for i in sokuhou.items]) == (1, ["速報が遅れている事案"])
    assert sokuhou.urgent and sokuhou.items[0].note.endswith("・4日超過")
    assert [i.label for i in kakuhou.items] == ["速報済みの事案", "速報が遅れている事案"]  # soonest first
    assert "・あと" in kakuhou.items[0].note and kakuhou.items[0].urgent and not kakuhou.items[1].urgent  # 4 days (or the next open day)
    assert mine["報告要否の確認待ちの事案"].count == 4
    for entry in (sokuhou, kakuhou, mine["報告要否の確認待ちの事案"]):
        page = client.get(entry.url).content.decode()
        assert int(re.search(r"全(\d+)件", page).group(1)) == entry.count and "絞り込み中：" in page
    assert not [e for e in entries_for(city.users.auditor) if "/incidents/" in e.url]


def test_a_correction_is_audited_and_a_stale_one_refused(city, open_incidents):
    incident = open_incidents["late"]
    seen = token_for(incident)
    today = timezone.localdate()
    fields = dict(title=incident.title, summary=incident.summary, learned_on=incident.learned_on, unit=incident.unit)
    services.incident_save(actor=city.users.office, incident=incident, base_version=seen, groups=[("受給者", 151)], sokuhou_on=today, **fields)
    event = AuditEvent.objects.filter(model="incidents.Incident", object_id=str(incident.pk), action="update").get()
    assert event.summary == "訂正：速報日、本人の区分と人数" and event.after["sokuhou_on"] == today.isoformat()
    with pytest.raises(StaleEdit):
        services.incident_save(actor=city.users.office, incident=incident, base_version=seen, groups=[("受給者", 150)], **fields)
    with pytest.raises(PermissionDenied):
        services.incident_save(actor=city.users.staff, incident=incident, base_version=token_for(Incident.objects.get(pk=incident.pk)),
                               groups=[("受給者", 150)], **fields)
    assert Incident.objects.get(pk=incident.pk).persons == 151
    assert "速報が遅れている事案" not in [i.label for e in entries_for(city.users.office) if e.title.startswith("漏えい等の速報") for i in e.items]


def test_the_confirmation_comes_back_with_its_message_and_asks_first(client, city, open_incidents):
    incident = open_incidents["small"]
    client.force_login(city.users.office)
    page = lxml.html.fromstring(client.get(f"/incidents/{incident.pk}/").content.decode())
    (button,) = page.xpath("//form[contains(@action, '/confirm/')]//button")
    assert "確認済みにします" in button.get("data-confirm") and button.get("data-confirm-label") == "確認する"
    data = dict(page.xpath("//form[contains(@action, '/confirm/')]")[0].form_values())
    response = client.post(f"/incidents/{incident.pk}/confirm/", data | {"override": "yes", "note": ""})
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    (field,) = page.xpath("//div[contains(@class, 'has-error')][.//input[@name='note']]")
    assert "判断を上書きするときは、その理由を書いてください。" in field.text_content()
    assert page.xpath("//select[@name='override']/option[@selected]/@value") == ["yes"]  # the choice as made
    assert not Incident.objects.get(pk=incident.pk).confirmed


def test_counts_read_in_one_format(client, city):
    incident = services.incident_save(actor=city.users.office, title="大量送付", summary="概要", learned_on=D(2024, 6, 3), unit=city.units.kyufu,
                                      groups=[("受給者", 142000), ("世帯", 12371)])
    client.force_login(city.users.office)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "受給者 142,000人" in page and "（計 154,371人）" in page and "142000" not in page
    assert "154,371人" in client.get("/incidents/").content.decode()


def test_the_list_pages_and_sorts(client, city):
    for n in range(55):
        services.incident_save(actor=None, title=f"事案{n:02d}", summary="概要", learned_on=D(2024, 4, 1) + n * DAY, unit=city.units.kyufu, groups=[("本人", n)])
    client.force_login(city.users.office)
    page = client.get("/incidents/?sort=persons&page=2").content.decode()
    assert "全55件（51〜55件目）" in page and re.findall(r">(事案\d\d)</a>", page) == ["事案50", "事案51", "事案52", "事案53", "事案54"]
    page = client.get("/incidents/").content.decode()  # newest learned first
    assert re.findall(r">(事案\d\d)</a>", page)[0] == "事案54"
