"""What the register contributes to core's registries: export/import sections, the home worklist, and
how a 届出's proposed content reads in the audit log."""
from mamori.core import audit, integrity, transfer, worklist
from mamori.core.models import UNIT_CHAIN, OrgUnit
from mamori.register import selectors
from mamori.register.diff import diff
from mamori.register.integrity import notification_duties
from mamori.register.transfer_sections import IngestSourcesSection, NotificationsSection, ProgramsSection, VocabularySection


def proposed_in_words(before, after) -> list[tuple[str, str, str]]:
    """A 届出's proposed content in the audit log: its 新旧対照 (register.diff), with the units' names."""
    before, after = (v if isinstance(v, dict) else None for v in (before, after))
    codes = {d.get("unit") for d in (before, after) if d}
    labels = {("unit", u.code): u.label for u in OrgUnit.objects.filter(code__in=codes).select_related(UNIT_CHAIN)}
    return [(f"届出後の内容・{r.label}", r.old, r.new) for r in diff(before, after, labels)]


def register() -> None:
    integrity.register_checks(notification_duties)
    transfer.register_sections(VocabularySection, ProgramsSection, IngestSourcesSection, NotificationsSection)
    worklist.register_worklist(selectors.worklist)
    audit.register_describer("register.Notification", "proposed", proposed_in_words)
