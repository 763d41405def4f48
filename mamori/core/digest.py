"""The morning reminder (`mamori remind`): each app contributes the mails its work calls for.

A contributor is ``(today, soon_days) -> iterable of Reminder``, registered from its app's
``AppConfig.ready()``: requests near their deadline to their handlers, leak clocks to the
office, and so on. Core sends them; it knows nothing of what they are about. No personal data
of requesters or of the persons in an incident goes into a reminder: numbers, kinds, units
and dates only.
"""
import datetime
from dataclasses import dataclass
from typing import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone


@dataclass(frozen=True)
class Reminder:
    user: object  # core.User with an e-mail address
    subject: str
    body: str
    count: int
    label: str = ""  # how the command's summary names it: 「hogo（漏えい等）」


Contributor = Callable[[datetime.date, int], Iterable[Reminder]]
CONTRIBUTORS: list[Contributor] = []


def register_digest(contributor: Contributor) -> None:
    if contributor not in CONTRIBUTORS:
        CONTRIBUTORS.append(contributor)


def send_digests(today: datetime.date | None = None, soon_days: int = 7) -> dict[str, int]:
    """Send every contributor's reminders; returns {who: how many items} for the command's summary."""
    today = today or timezone.localdate()
    sent: dict[str, int] = {}
    for contributor in CONTRIBUTORS:
        for reminder in contributor(today, soon_days):
            if not reminder.user.email:
                continue
            send_mail(subject=reminder.subject, message=reminder.body, from_email=settings.DEFAULT_FROM_EMAIL,
                      recipient_list=[reminder.user.email])
            sent[reminder.user.username + (f"（{reminder.label}）" if reminder.label else "")] = reminder.count
    return sent
