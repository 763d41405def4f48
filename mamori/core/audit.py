"""The audit trail: written by services inside their transaction, read by people in Japanese.

Writing (``record``, ``snapshot``): an event keeps what the service gave it, as stored values —
the model's label (``outsourcing.Contract``), field names, JSON values (ISO dates, lists, choice
keys, a foreign key as its record's name at the time).

Reading (``present``, ``history``, ``value_text``): what was stored is translated when shown, so
the events written long ago read as well as today's:

- the record's kind is its model's verbose_name (``kind_name``) and its name the record's own
  (an event stored as 「FormReceipt object (889)」, from before the model had a name, is named from
  the record when it still exists, else 「受注者の提出書類（ID 889）」);
- each field by its label (verbose_name), never its name;
- each value as a person writes it (``value_text``): 和暦 dates, 「氏名」、「住所」, はい/いいえ, a
  choice by its label, a foreign key by its record's name, 令和5年度 for a fiscal year, （空欄）.

``value_text`` is the project's one formatter of a stored value: the stale-edit box
(core.concurrency) uses it too. A structured field (a 届出's proposed content, an inspection's
checklist) is described by its app: ``register_describer`` from its ``contributions.py``.
"""
import datetime
import decimal
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from mamori.core.calendar import fiscal_year_label, time_label, wareki
from mamori.core.models import AuditAction, AuditEvent

EMPTY = "（空欄）"
SHOWN_LIMIT = 300  # characters of one value in the log and a record's 履歴; a longer text ends in 「…」

# Django's name for a model without __str__: the events written before every model had one carry it.
DEFAULT_REPR = re.compile(r"^(?P<cls>[A-Za-z_]\w*) object \((?P<pk>[^)]*)\)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_ISO_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_CODE = re.compile(r"^[A-Za-z0-9_.-]+$")
# 西暦 written into a stored summary or name: 「期限 2025-01-06」, 「実地検査（2023年度）」.
_ISO_IN_TEXT = re.compile(r"(?<![\d-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\d-])")
_FISCAL_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})年度")

# The kind of the records whose model has no Japanese verbose_name yet (their apps own the
# model's Meta): used only while the model's own verbose_name is Django's English default.
KIND_NAMES = {
    "register.SubjectGroup": "本人の範囲",
    "register.GroupItem": "本人の範囲の記録項目",
    "register.Flow": "収集・提供・委託",
    "register.FlowItem": "収集・提供・委託の記録項目",
    "register.NotificationEvent": "届出の経過",
    "disclosure.RequestDocument": "請求の文書",
    "disclosure.ClockEvent": "期限の記録（補正・延長・特例）",
    "disclosure.Appeal": "審査請求",
    "disclosure.Notice": "通知書",
    "outsourcing.Certification": "認証（プライバシーマーク・ISMS）",
    "outsourcing.FormReceipt": "受注者の提出書類（別紙1〜3）",
    "outsourcing.Inspection": "検査（別紙4）",
    "outsourcing.Finding": "検査の指摘",
    "outsourcing.Disposal": "返還・廃棄の記録（特記事項第14条）",
    "outsourcing.ContractIncident": "受注者からの事故報告（特記事項第13条）",
    "incidents.AffectedGroup": "本人の区分と人数",
    "council.MeetingNotification": "審議会に報告する届出",
    "mamori.export": "書き出したデータの取込み",  # core.transfer: an import, not a model
}
# Fields whose model gives no Japanese label (Django's default from the name).
FIELD_NAMES = {
    "created_at": "登録日時",
    "created_by": "登録者",
    "updated_at": "更新日時",
    "order": "表示順",
    "path": "組織の階層（内部の番号）",
    "key": "照合用の名前（内部）",
    "import_key": "取込みの照合キー（内部）",
}

# (model label, field) → describe(before, after) -> [(label, before text, after text)], for a field
# whose value is a structure only its app can put in words.
Describe = Callable[[object, object], list[tuple[str, str, str]]]
DESCRIBERS: dict[tuple[str, str], Describe] = {}


def register_describer(model_label: str, field: str, describe: Describe) -> None:
    """How an app's structured field reads in the log and the stale-edit box (from its contributions.py)."""
    DESCRIBERS[(model_label, field)] = describe


# ---------------------------------------------------------------- writing


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ("password",)) -> dict:
    """The record's own fields as JSON-safe values; foreign keys as their label."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.name == "id":
            continue
        if field.is_relation:
            related = getattr(obj, field.name)
            out[field.name] = str(related) if related is not None else None
        else:
            out[field.name] = _plain(getattr(obj, field.attname))
    return out


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    model: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    root: models.Model | None = None,
) -> AuditEvent:
    """One event: ``action`` is a business verb (AuditAction), ``obj`` the subject, ``root`` the record
    it belongs to (its request, contract, 届出…; the subject itself when it stands alone)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit verb {action!r}: add it to core.models.AuditAction")
    if obj is not None:
        model = model or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    root_model, root_id, root_repr = model or "", object_id or "", object_repr or ""
    if root is not None:
        root_model, root_id, root_repr = root._meta.label, str(root.pk), str(root)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(str(actor) if getattr(actor, "pk", None) else (actor or "システム")),
        action=action,
        model=model or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:255],
        summary=summary[:255],
        before=before,
        after=after,
        root_model=root_model,
        root_id=root_id,
        root_repr=root_repr[:255],
    )


# ---------------------------------------------------------------- names and words


def _japanese(text: str) -> bool:
    """Whether a name was given in Japanese (Django's defaults are the English field or class name)."""
    return any(ord(ch) > 0x7F for ch in text)


def model_of(label: str) -> type[models.Model] | None:
    """The project's model a stored label names (None for another app's, a label no longer known, an import)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if model.__module__.startswith("mamori.") else None


def kind_name(label: str) -> str:
    """The kind of record a label names, as a person calls it: 「委託契約」 for outsourcing.Contract."""
    model = model_of(label)
    if model is not None:
        name = str(model._meta.verbose_name)
        if _japanese(name):
            return name
    return KIND_NAMES.get(label, label)


def kinds_matching(text: str) -> list[str]:
    """The labels of the kinds whose Japanese name (or label) contains ``text``: 「届出」 → register.Notification, …"""
    wanted = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not wanted:
        return []
    labels = [m._meta.label for m in apps.get_models() if m.__module__.startswith("mamori.")] + ["mamori.export"]
    return [label for label in labels
            if wanted in unicodedata.normalize("NFKC", kind_name(label)).lower() or wanted in label.lower()]


def field_label(model: type[models.Model] | None, key: str) -> tuple[models.Field | None, str]:
    """The field a stored key stands for, and its label (verbose_name; the related kind for a relation
    Django named in English; the model's VERSION_LABELS for the keys its version adds)."""
    field = None
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        named = getattr(model, "VERSION_LABELS", {})
        if key in named:
            return field, named[key]
    if field is None:
        return None, FIELD_NAMES.get(key, key)
    label = str(getattr(field, "verbose_name", "") or "")
    if _japanese(label):
        return field, label
    if key in FIELD_NAMES:
        return field, FIELD_NAMES[key]
    if field.is_relation and field.related_model is not None:
        return field, kind_name(field.related_model._meta.label)
    return field, label or key


def correction_summary(model: type[models.Model], before: dict | None, after: dict, extra: Iterable[str] = (), lead: str = "訂正") -> str:
    """「訂正：再委託の書面承認日、契約件名」: the labels of the fields a correction changed (a history's line);
    ``extra``: labels of what the snapshot does not hold (the persons of an incident). "" for a creation."""
    if before is None:
        return ""
    labels = [field_label(model, k)[1] for k in after if k in before and before[k] != after[k]] + list(extra)
    return f"{lead}：{'、'.join(labels)}" if labels else f"{lead}（変更なし）"


class Names:
    """Names of records looked up while events are shown: one query per kind of record, remembered."""

    def __init__(self):
        self._by_pk: dict[tuple[str, str], str | None] = {}
        self._by_code: dict[tuple[str, str], str | None] = {}

    @staticmethod
    def _named(obj) -> str | None:
        text = str(obj) if obj is not None else ""
        return text if text and not DEFAULT_REPR.match(text) else None

    def preload(self, label: str, pks: Iterable[str]) -> None:
        wanted = {str(pk) for pk in pks if pk not in ("", None) and (label, str(pk)) not in self._by_pk}
        model = model_of(label)
        if not wanted or model is None:
            return
        found = {}
        try:
            found = {str(pk): obj for pk, obj in model._default_manager.in_bulk(list(wanted)).items()}
        except (ValueError, TypeError, ValidationError):
            pass
        for pk in wanted:
            self._by_pk[(label, pk)] = self._named(found.get(pk))

    def of(self, label: str, pk) -> str | None:
        """The record's name as it reads now; None when it is gone (or has no name)."""
        key = (label, str(pk))
        if key not in self._by_pk:
            self.preload(label, [str(pk)])
            self._by_pk.setdefault(key, None)
        return self._by_pk[key]

    def by_code(self, model: type[models.Model], code: str) -> str | None:
        """A record a snapshot names by its code (a unit's 「nozei」, a program's 「P00012」)."""
        key = (model._meta.label, code)
        if key not in self._by_code:
            obj = model._default_manager.filter(code=code).first()
            self._by_code[key] = self._named(obj)
        return self._by_code[key]


def dates_in_text(text: str) -> str:
    """西暦 written into stored text (a summary, an old record name) as 和暦: 「期限 2025-01-06」 → 「期限 令和7年1月6日」."""
    def day(match):
        try:
            return wareki(datetime.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return match[0]

    text = _ISO_IN_TEXT.sub(day, text or "")
    return _FISCAL_YEAR_IN_TEXT.sub(lambda m: fiscal_year_label(int(m[1])), text)


def _moment(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{wareki(value.date())} {value:%H:%M}"


def _from_iso(text: str):
    """A date, time or moment the audit stored as ISO text, or None."""
    try:
        if _ISO_DATE.match(text):
            return datetime.date.fromisoformat(text)
        if _ISO_DATETIME.match(text):
            return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if _ISO_TIME.match(text):
            return datetime.time.fromisoformat(text)
    except ValueError:
        return None
    return None


def _related_name(field: models.Field, value, names: Names) -> str | None:
    related = field.related_model
    if related is None:
        return None
    label = related._meta.label
    if isinstance(value, int) and not isinstance(value, bool):
        return names.of(label, value) or f"{kind_name(label)}（ID {value}）"
    if isinstance(value, str):
        match = DEFAULT_REPR.match(value)
        if match:
            return names.of(label, match["pk"]) or f"{kind_name(label)}（ID {match['pk']}）"
        if _CODE.match(value) and any(f.name == "code" for f in related._meta.concrete_fields):
            return names.by_code(related, value)
    return None


def _value(field: models.Field | None, value, names: Names) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, (list, tuple)):
        return "、".join(f"「{_value(field, v, names)}」" for v in value)
    if isinstance(value, dict):
        return "、".join(f"{k}：{_value(None, v, names)}" for k, v in value.items())
    if field is not None and getattr(field, "choices", None):
        label = dict(field.flatchoices).get(value)
        if label is not None:
            return str(label)
    if field is not None and field.is_relation:
        name = _related_name(field, value, names)
        if name:
            return name
    if isinstance(value, str) and (field is None or isinstance(field, (models.DateField, models.TimeField))):
        value = _from_iso(value) or value
    if isinstance(value, datetime.datetime):
        return _moment(value)
    if isinstance(value, datetime.date):
        return wareki(value)
    if isinstance(value, datetime.time):
        return time_label(value, full=False)
    if isinstance(value, int):
        if field is not None and field.name == "fiscal_year":
            return fiscal_year_label(value)
        return f"{value:,}"
    if isinstance(value, str) and DEFAULT_REPR.match(value):
        return "（名前のない記録）"
    return str(value)


def value_text(field: models.Field | None, value, *, names: Names | None = None, limit: int | None = None) -> str:
    """A stored value as a person writes it (see the module's docstring); ``limit`` shortens long text with 「…」."""
    try:
        text = _value(field, value, names or Names())
    except ValueError:  # a date outside the eras 和暦 knows: as stored
        text = str(value)
    return text if not limit or len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- events as a person reads them


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the record did not exist before (a creation)
    after: str | None  # None: the record is gone (a deletion)


def changes(event: AuditEvent, *, names: Names | None = None, limit: int | None = SHOWN_LIMIT) -> list[Change]:
    """The fields the event changed, in words; for a creation its values (the empty ones left out)."""
    names = names or Names()
    model = model_of(event.model)
    before, after = event.before or {}, event.after or {}
    created, deleted = event.before is None, event.after is None
    rows: list[Change] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if old == new or (created and new in (None, "", [], {})):
            continue
        describe = DESCRIBERS.get((event.model, key))
        if describe is not None:
            for label, old_text, new_text in describe(None if created else old, None if deleted else new):
                rows.append(Change(label, None if created else old_text, None if deleted else new_text))
            continue
        field, label = field_label(model, key)
        old_text = None if created else value_text(field, old, names=names, limit=limit)
        new_text = None if deleted else value_text(field, new, names=names, limit=limit)
        if old_text == new_text and not (old_text or "").endswith("…"):
            continue  # a difference no person reads (seconds of a time stamp)
        rows.append(Change(label, old_text, new_text))
    return rows


class Line:
    """An audit event as the log and every record's 履歴 show it; the stored event's own attributes
    (``pk``, ``action``, ``model`` …) read through."""

    def __init__(self, event: AuditEvent, names: Names):
        self.event = event
        self.kind = kind_name(event.model) if event.model else "—"
        if event.object_repr and not DEFAULT_REPR.match(event.object_repr):
            name = dates_in_text(event.object_repr)
        else:
            name = names.of(event.model, event.object_id) if event.object_id else None
            name = name or (f"{self.kind}（ID {event.object_id}）" if event.object_id else (event.object_repr or self.kind))
        self.name = name
        self.title = f"{self.kind}『{name}』" if name != self.kind else name
        self.summary_text = dates_in_text(event.summary)
        self.action_label = AuditAction(event.action).label if event.action in AuditAction.values else event.action
        self.url = reverse("audit_record", args=[event.model, event.object_id]) if event.model and event.object_id else ""
        self.changes = changes(event, names=names)
        self.created = event.before is None and event.after is not None

    def __getattr__(self, name):
        if name == "event":  # not yet set (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.event, name)


def present(events: Iterable[AuditEvent]) -> list[Line]:
    """The events as a person reads them; the names of records stored nameless are looked up once per kind."""
    events = list(events)
    names = Names()
    nameless: dict[str, set[str]] = {}
    for e in events:
        if e.object_id and (not e.object_repr or DEFAULT_REPR.match(e.object_repr)):
            nameless.setdefault(e.model, set()).add(e.object_id)
    for label, pks in nameless.items():
        names.preload(label, pks)
    return [Line(e, names) for e in events]


def record_title(model: str, object_id: str, events: Iterable[AuditEvent]) -> str:
    """「委託契約『学校給食調理業務委託（…）』」: the heading of a record's page in the log. Named from
    the events the viewer may read (and the record they are about); with none, by its kind and ID only."""
    events = list(events)
    name = Names().of(model, object_id) if events else None
    if not name:
        stored = next((e.object_repr for e in events if e.object_repr and not DEFAULT_REPR.match(e.object_repr)), "")
        name = dates_in_text(stored) or f"ID {object_id}"
    return f"{kind_name(model)}『{name}』"


def history(root: models.Model, limit: int | None = 100) -> list[Line]:
    """The events of a record and of everything that belongs to it, newest first (the page's 履歴)."""
    events = AuditEvent.objects.filter(root_model=root._meta.label, root_id=str(root.pk)).select_related("actor")
    return present(events[:limit] if limit else events)


__all__ = ["AuditAction", "Change", "Line", "Names", "changes", "field_label", "history", "kind_name", "kinds_matching",
           "present", "record", "record_title", "register_describer", "snapshot", "value_text"]
