"""Contractor supervision's checks over data written in bulk (core.integrity: `mamori import`, `mamori restore`)."""
from mamori.core.integrity import Violation
from mamori.outsourcing import rules
from mamori.outsourcing.models import Contract


def contracts():
    """What contract_save refuses: a period that ends before it starts, a 再委託 chain out of order."""
    qs = Contract.objects.select_related("parent").order_by("pk")
    for c in qs.iterator(chunk_size=2000):
        where = f"契約「{c.title[:40]}」"
        error = rules.period_error(c.starts_on, c.ends_on)
        if error:
            yield Violation("contracts.json", "outsourcing.contract", where, "ends_on", error)
        for message in rules.chain_errors(c.kind, c.parent.kind if c.parent else None, c.parent is None or c.parent.program_id == c.program_id):
            yield Violation("contracts.json", "outsourcing.contract", where, "parent", message)
