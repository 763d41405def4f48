"""The request's ledger → rules.compute_due, with this municipality's settings and closure days."""
from mamori.core.calendar import ClosureCalendar
from mamori.core.models import ClosureDay, MunicipalSettings
from mamori.disclosure import rules
from mamori.disclosure.models import ClockKind


def settings_for_rules(s: MunicipalSettings | None = None) -> rules.Settings:
    s = s or MunicipalSettings.current()
    return rules.Settings(personal_days=s.personal_request_days, public_days=s.public_request_days,
                          public_extension_days=s.public_extension_days, public_article=s.public_ordinance,
                          roll_forward=s.decision_roll_forward)


def calendar() -> ClosureCalendar:
    return ClosureCalendar(extra={d.date: d.name for d in ClosureDay.objects.all()})


def ledger(events) -> dict:
    out = {"corrections": [], "extension": None, "special": None}
    for e in events:
        if e.kind == ClockKind.CORRECTION:
            out["corrections"].append(rules.Correction(e.start_on, e.end_on))
        elif e.kind == ClockKind.EXTENSION:
            out["extension"] = rules.Extension(e.start_on, e.days or 0, e.reason)
        elif e.kind == ClockKind.SPECIAL:
            out["special"] = rules.Special(e.start_on, e.rest_due, e.reason)
    return out


def due_for(request, events=None, *, cal: ClosureCalendar | None = None, settings: rules.Settings | None = None) -> rules.DueDate:
    events = list(request.clock_events.all()) if events is None else events
    rule = rules.rule_for(request.procedure, settings or settings_for_rules())
    return rules.compute_due(rule, request.received_on, calendar=cal or calendar(), **ledger(events))
