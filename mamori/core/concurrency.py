"""No lost update (issue 11): every edit form carries the version of the record it was based on.

The version is a signed token (``token_for``) put in a hidden form field (``VersionedForm``): for
each of the record's fields a short digest of its value, and the id of the record's latest audit
event. The service checks it (``check``) inside its transaction, on the row it has locked with
``select_for_update``, so of two simultaneous saves based on the same version only the first
passes. A stale save raises ``StaleEdit`` with what changed meanwhile (field: before → now, from the
audit events written since the token was made, which also give who and when); the form comes back
bound to what the user typed, with a fresh token, so a second, knowing save goes through.

The token holds digests, not values: the page's hidden field carries no personal data.
"""
import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from mamori.core import audit
from mamori.core.calendar import wareki
from mamori.core.models import AuditAction, AuditEvent

FIELD = "base_version"
SALT = "mamori.core.concurrency"
# Fields that change without anybody editing the record's content: they are not its version.
VOLATILE = ("id", "password", "last_login", "updated_at")
TEXT_LIMIT = 120

# describe(before, now) -> [(label, before text, now text)] for a field whose value is a structure
Describe = Callable[[object, object], list[tuple[str, str, str]]]


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    now: str


@dataclass(frozen=True)
class Edit:
    who: str
    at: datetime.datetime
    action: str
    summary: str


class StaleEdit(ValidationError):
    """The record changed after the form was loaded: nothing was saved. ``token`` is the current
    version, for the form that comes back so that a knowing second save can go through."""

    def __init__(self, *, changes: list[Change], edits: list[Edit], token: str, subject: str = "この記録"):
        self.changes, self.edits, self.token, self.subject = changes, edits, token, subject
        super().__init__(self.text(), code="stale")

    def text(self) -> str:
        who = "、".join(dict.fromkeys(f"{e.who}（{wareki(timezone.localtime(e.at))} {timezone.localtime(e.at):%H:%M}）" for e in self.edits))
        by = f"{who}が" if who else "他の人が"
        what = "、".join(f"{c.label}「{c.before}」→「{c.now}」" for c in self.changes[:5])
        more = f" ほか{len(self.changes) - 5}件" if len(self.changes) > 5 else ""
        lead = f"{self.subject}は、あなたが画面を開いた後に{by}変更しました（{what}{more}）。" if what else (
            f"{self.subject}は、あなたが画面を開いた後に{by}変更しました。")
        return lead + "保存していません。変更内容を確かめ、必要なら入力を直してもう一度保存してください。"


def _fields(obj: models.Model) -> list[models.Field]:
    """The fields that make the record's version: the model's ``VERSION_FIELDS`` if it names them
    (a user's login bookkeeping is no edit of the user), else every field that is not VOLATILE."""
    named = getattr(obj, "VERSION_FIELDS", None)
    return [f for f in obj._meta.concrete_fields
            if (f.name in named if named else f.name not in VOLATILE)
            and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)]


def state(obj: models.Model) -> dict:
    """The record's content as stored (a foreign key as its id: no query), plus what the model adds
    of its own (``version_extra()``: the rows that belong to it and are edited with it)."""
    values = {f.name: getattr(obj, f.attname) for f in _fields(obj)}
    extra = getattr(obj, "version_extra", None)
    return values | (extra() if extra else {})


def _shown(obj: models.Model, name: str, value):
    """A value of state() as the audit log writes it (a foreign key as its label)."""
    field = next((f for f in obj._meta.concrete_fields if f.name == name), None)
    if field is not None and field.is_relation:
        return audit.snapshot(obj).get(name)
    return value


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:12]


def _events(model_label: str, pk) -> models.QuerySet:
    pk = str(pk)
    return AuditEvent.objects.filter(Q(model=model_label, object_id=pk) | Q(root_model=model_label, root_id=pk))


def token_for(obj: models.Model | None, model: type[models.Model] | None = None) -> str:
    """The version of ``obj`` as a signed token for the edit form. ``obj`` None (or unsaved): the
    record does not exist yet (a default notice template), so a save must find it still absent."""
    if obj is None or obj.pk is None:
        return signing.dumps({"new": (model or type(obj))._meta.label}, salt=SALT)
    last = _events(obj._meta.label, obj.pk).aggregate(m=Max("id"))["m"] or 0
    return signing.dumps({"m": obj._meta.label, "pk": str(obj.pk), "a": last,
                          "f": {k: _digest(v) for k, v in state(obj).items()}}, salt=SALT)


def _text(field: models.Field | None, value) -> str:
    # The audit log's formatter (core.audit.value_text): one way a stored value reads everywhere.
    return audit.value_text(field, value, limit=TEXT_LIMIT)


def _label(model: type[models.Model], name: str) -> tuple[models.Field | None, str]:
    return audit.field_label(model, name)  # VERSION_LABELS for the keys version_extra() adds


def _before_values(events: list[AuditEvent]) -> dict:
    """Each field's value before the first of these events changed it."""
    before: dict = {}
    for event in events:
        for key, value in (event.before or {}).items():
            before.setdefault(key, value)
    return before


def _edit(event: AuditEvent) -> Edit:
    return Edit(event.actor_name, event.at, AuditAction(event.action).label, event.summary)


def check(current: models.Model | None, token: str | None, *, model: type[models.Model] | None = None,
          subject: str = "この記録", describe: dict[str, Describe] | None = None) -> None:
    """Refuse a save based on a version older than ``current``, the row the service has locked.

    ``token`` None: the caller is no form (the CLI, an import, the demo loader): nothing to check.
    ``describe`` turns a structured field (a 届出's proposed content) into readable rows."""
    if token is None:
        return
    model = model or type(current)
    fresh = token_for(current, model)
    try:
        seen = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        seen = {}
    if "new" in seen and current is None:
        return
    if current is not None and seen.get("m") == current._meta.label and seen.get("pk") == str(current.pk):
        now = state(current)
        changed = [k for k, v in now.items() if seen["f"].get(k) != _digest(v)]
        if not changed:
            return
        events = list(_events(current._meta.label, current.pk).filter(id__gt=seen.get("a", 0)).order_by("id"))
        before = _before_values(events)
        changes = []
        for name in changed:
            if describe and name in describe:
                changes += [Change(*row) for row in describe[name](before.get(name), now[name])]
                continue
            field, label = _label(model, name)
            shown = _shown(current, name, now[name])
            changes.append(Change(label, _text(field, before[name]) if name in before else "（履歴に記録なし）", _text(field, shown)))
        edits = [_edit(e) for e in events]
    else:  # the record was created meanwhile, or a token for another record / a tampered one
        changes, edits = [], []
        if current is not None:
            if "new" in seen:
                changes = [Change(_label(model, k)[1], "（未作成）", _text(_label(model, k)[0], _shown(current, k, v)))
                           for k, v in state(current).items()]
            events = list(_events(current._meta.label, current.pk).order_by("id"))
            edits = [_edit(e) for e in events[-3:]]
    raise StaleEdit(changes=changes, edits=edits, token=fresh, subject=subject)


class VersionedForm(forms.Form):
    """Base of every edit form: the hidden ``base_version`` field (the token the page was built
    on). ``version=`` gives it for an unbound form; ``refuse(exc)`` keeps what the user typed,
    shows the changes (core/stale_edit.html, included by core/form_errors.html) and puts the
    current version in, so the next save is a knowing one."""

    def __init__(self, *args, version: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Added here, not declared: base_fields stay the record's fields (views build initial from them).
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, initial=version)
        self.stale_edit: StaleEdit | None = None

    def clean_base_version(self) -> str:
        # An edit page always sends one; "" (a page from before, a hand-made request) is refused
        # by check() as stale, with the current version, rather than saved unchecked.
        return self.cleaned_data.get(FIELD) or ""

    def refuse(self, exc: StaleEdit) -> None:
        self.stale_edit = exc
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = exc.token


def token_from(post, prefix: str = "") -> str | None:
    """The version a plain action form (承認・受理 buttons) was based on."""
    return post.get(f"{prefix}-{FIELD}" if prefix else FIELD) or None


__all__ = ["FIELD", "Change", "Edit", "StaleEdit", "VersionedForm", "check", "state", "token_for", "token_from"]
