"""Training sessions: corrected through the service (audited, stale or unpermitted refused), a form that comes back
keeps what was typed with the message beside its field, the list pages and filters, the home page's entry."""
import datetime
import re

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mamori.core.calendar import fiscal_year_bounds
from mamori.core.concurrency import StaleEdit, token_for
from mamori.core.models import AuditEvent
from mamori.core.worklist import entries_for
from mamori.training import services
from mamori.training.models import TrainingSession

D = datetime.date


@pytest.fixture
def session(city):
    return services.session_save(actor=city.users.office, held_on=D(2024, 5, 1), name="番号法研修", participants=2,
                                 attendees=[city.users.staff, city.users.manager])


def test_correction_is_audited_with_what_changed(city, session):
    seen = token_for(session)
    services.session_save(actor=city.users.office, session=session, base_version=seen, held_on=D(2024, 5, 2), name="番号法研修", participants=1,
                          attendees=[city.users.staff])
    event = AuditEvent.objects.filter(model="training.TrainingSession", object_id=str(session.pk), action="update").get()
    assert event.summary == "訂正：日程、参加者数、参加した職員"
    assert (event.before["held_on"], event.after["held_on"]) == ("2024-05-01", "2024-05-02")
    assert list(session.attendees.values_list("username", flat=True)) == ["staff"]


def test_attendees_can_be_cleared(city, session):
    services.session_save(actor=city.users.office, session=session, base_version=token_for(session), held_on=session.held_on, name=session.name,
                          participants=2, attendees=[])
    assert not session.attendees.exists()


def test_a_stale_correction_is_refused(city, session):
    seen = token_for(session)
    services.session_save(actor=city.users.office, session=session, base_version=seen, held_on=session.held_on, name=session.name, participants=3)
    with pytest.raises(StaleEdit, match="参加者数「2」→「3」"):
        services.session_save(actor=city.users.office, session=session, base_version=seen, held_on=session.held_on, name="別の名前", participants=2)
    assert TrainingSession.objects.get(pk=session.pk).name == "番号法研修"


@pytest.mark.parametrize("role", ["staff", "auditor", "council"])
def test_only_the_office_records_and_corrects(city, session, role):
    with pytest.raises(PermissionDenied):
        services.session_save(actor=getattr(city.users, role), session=session, base_version=token_for(session), held_on=session.held_on, name="x",
                              participants=2)
    assert TrainingSession.objects.get(pk=session.pk).name == "番号法研修"


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"held_on": ""}, "held_on", "日程を入力してください（例：令和6年5月1日、R6.5.1）。"),
        ({"participants": "-5"}, "participants", "参加者数は0以上の数で入力してください。"),
        ({"participants": "たくさん"}, "participants", "参加者数は数字で入力してください（例：35）。"),
        ({"held_on": "令和6年2月30日"}, "held_on", "2月30日"),
    ],
)
def test_the_form_comes_back_open_with_the_input_and_the_message_beside_its_field(client, city, typed, field, message):
    client.force_login(city.users.office)
    data = {"held_on": "令和6年5月1日", "name": "新任者研修", "target": "新規採用職員", "participants": "30"} | typed
    response = client.post("/training/", data)
    assert response.status_code == 200 and not TrainingSession.objects.exists()
    page = lxml.html.fromstring(response.content.decode())
    (details,) = page.xpath("//details[.//form[@method='post']]")
    assert details.get("open") is not None
    (box,) = page.xpath(f"//div[contains(@class, 'has-error')][.//*[@name='{field}']]")
    assert message in box.text_content()
    values = dict(details.xpath(".//form")[0].form_values())
    assert values["name"] == "新任者研修" and values["target"] == "新規採用職員" and values.get(field, "") == data[field]


def test_the_session_page_and_its_correction(client, city, session):
    client.force_login(city.users.office)
    page = client.get(f"/training/{session.pk}/").content.decode()
    assert "令和6年5月1日（水）" in page and "履歴" in page
    form = lxml.html.fromstring(client.get(f"/training/{session.pk}/edit/").content.decode()).forms[-1]
    data = {k: v for k, v in form.form_values()}
    data["participants"] = "25"
    assert client.post(f"/training/{session.pk}/edit/", data).status_code == 302
    assert "訂正：参加者数" in client.get(f"/training/{session.pk}/").content.decode()
    client.force_login(city.users.auditor)
    assert client.get(f"/training/{session.pk}/").status_code == 200 and client.get(f"/training/{session.pk}/edit/").status_code == 403


def test_the_list_pages_sorts_and_filters_by_year(client, city):
    TrainingSession.objects.bulk_create([TrainingSession(held_on=D(2023, 4, 1) + datetime.timedelta(days=7 * n), name=f"研修{n:02d}", participants=n)
                                         for n in range(60)])
    client.force_login(city.users.office)
    page = client.get("/training/?sort=participants&page=2").content.decode()
    assert "全60件（51〜60件目）" in page and re.findall(r">(研修\d\d)</a>", page)[0] == "研修50"
    start, end = fiscal_year_bounds(2023)
    in_2023 = TrainingSession.objects.filter(held_on__range=(start, end)).count()
    page = client.get("/training/?fiscal_year=2023").content.decode()
    assert f"全{in_2023}件" in page and "絞り込み中：年度：令和5年度" in page


def test_untrained_staff_on_the_home_page(client, city):
    entry = next(e for e in entries_for(city.users.office) if "/training/" in e.url)
    assert entry.count == 2 and [(i.label, i.note) for i in entry.items] == [("こども・健康部 こども未来課", "2人")]  # where, not who
    services.session_save(actor=city.users.office, held_on=timezone.localdate(), name="番号法研修", participants=2,
                          attendees=[city.users.staff, city.users.manager])
    assert not [e for e in entries_for(city.users.office) if "/training/" in e.url]
    assert not [e for e in entries_for(city.users.staff) if "/training/" in e.url]
