"""The register's checks over data written in bulk (core.integrity: `mamori import`, `mamori restore`)."""
from mamori.core.integrity import Violation
from mamori.register import rules
from mamori.register.models import Notification, NotificationEvent, NotificationStatus
from mamori.register.selectors import DRAFTING_EVENTS


def notification_duties():
    """Drafter ≠ approver ≠ acceptor (register.rules, separation of duties), as notification_approve/accept refuse it."""
    drafters: dict[int, set] = {}
    events = NotificationEvent.objects.filter(kind__in=DRAFTING_EVENTS, actor__isnull=False).values_list("notification_id", "actor__username")
    for notification_id, username in events:
        drafters.setdefault(notification_id, set()).add(username)
    qs = Notification.objects.filter(approved_by__isnull=False) | Notification.objects.filter(accepted_by__isnull=False)
    rows = qs.values_list("pk", "number", "status", "source_id", "created_by__username", "approved_by__username", "accepted_by__username")
    for pk, number, status, source_id, created, approved, accepted in rows.order_by("number"):
        who = drafters.get(pk, set()) | ({created} if created else set())
        # Drafted and approved on paper (an ingested 届出 is accepted with no approver in Mamori); one that names an
        # approver was approved here, and the rules apply to it whatever its source.
        imported = (status == NotificationStatus.IMPORTED or source_id is not None) and approved is None
        for field, message in rules.duty_conflicts(drafters=who, approver=approved, acceptor=accepted, imported=imported):
            yield Violation("notifications.json", "register.notification", f"届出 {number}", field, message)
