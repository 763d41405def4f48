"""Reminders by e-mail and the .ics feed: real mail through Django's test outbox, no requester data."""
import datetime

from django.core import mail
from django.core.management import call_command

from mamori.disclosure import services

D = datetime.date


def make(city, received, number_of_docs=1):
    return services.request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
                                   received_on=received, requester_name="請求 花子", subject="記録", handler=city.users.office,
                                   documents=[(city.units.kyufu, f"文書{i}") for i in range(number_of_docs)])


def test_remind_sends_each_handler_a_digest(city, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    city.users.office.email = "office@example.jp"
    city.users.office.save()
    overdue, soon, later = make(city, D(2024, 5, 1)), make(city, D(2024, 5, 20)), make(city, D(2024, 6, 10))
    call_command("remind", "--today", "2024-06-14", stdout=open("/dev/null", "w"))
    (message,) = mail.outbox
    assert message.to == ["office@example.jp"]
    assert message.subject == "【まもり】期限の近い請求 2件（うち期限超過 1件）"
    assert overdue.number in message.body and "期限超過" in message.body
    assert soon.number in message.body and "あと5日" in message.body  # due 2024-06-19
    assert later.number not in message.body
    assert "請求 花子" not in message.body  # no personal data in mail


def test_calendar_feed(client, city):
    r = make(city, D(2024, 12, 3))
    client.force_login(city.users.office)
    response = client.get("/requests/calendar.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in body and f"UID:{r.number}@mamori" in body and "DTSTART;VALUE=DATE:20250106" in body
    assert "請求 花子" not in body


def test_open_appeals_are_in_the_digest(city, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    city.users.office.email = "office@example.jp"
    city.users.office.save()
    r = make(city, D(2024, 1, 10))
    services.document_decide(document=r.documents.get(), actor=city.users.office, decision="nondisclose", decided_on=D(2024, 1, 30), reason_text="事務に支障")
    services.appeal_save(request=r, actor=city.users.office, filed_on=D(2024, 3, 1), consulted_on=D(2024, 3, 8))
    call_command("remind", "--today", "2024-06-14", stdout=open("/dev/null", "w"))
    (message,) = mail.outbox
    assert f"・{r.number} 審査請求 令和6年3月1日（金）：答申を待っています（105日経過）" in message.body
