"""Integrity of data written in bulk: `mamori import` (core.transfer) and `mamori restore` (core.backup).

The screens write through the services, which validate every field (``full_clean``) and the
domain rules. Bulk loads must refuse what the services refuse, so both run, inside their one
transaction and before it commits:

1. :func:`clean` on every written object: the model's field validation (types, lengths,
   choices, number ranges, dates) without what the database checks itself (relations,
   uniqueness, constraints). `import` cleans each object before it is saved
   (:func:`validating`) and sweeps the rows written in bulk afterwards (:func:`sweep`);
   `restore` cleans each row as it is read.
2. :func:`run_checks`: the domain rules over everything written (drafter ≠ approver ≠
   acceptor, a contract ends on or after it starts, a request has its requester …). Each app
   registers its checks from its ``contributions.py`` with :func:`register_checks`; a check
   reuses the app's rule functions (``rules.py``) rather than restating them.

Any problem rolls the transaction back; the problems name the file (or table), the record and the field.
"""
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.signals import post_save, pre_save


@dataclass(frozen=True)
class Violation:
    """A domain rule broken by written data."""

    file: str  # the export file the record comes from (docs/data-format.md)
    table: str  # its model label, e.g. "register.notification" (backup member tables/<table>.jsonl)
    record: str
    field: str
    message: str


CHECKS: list[Callable[[], Iterable[Violation]]] = []


def register_checks(*checks: Callable[[], Iterable[Violation]]) -> None:
    for check in checks:
        if check not in CHECKS:
            CHECKS.append(check)


def run_checks() -> list[Violation]:
    return [v for check in CHECKS for v in check()]


class RecordInvalid(Exception):
    """An object that fails its model's validation."""

    def __init__(self, instance, error: ValidationError):
        self.instance, self.error = instance, error
        super().__init__(f"{record_name(instance)}: {error}")

    def fields(self) -> list[tuple[str, str]]:
        return field_errors(self.error)


def field_errors(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError; field "" for the record as a whole."""
    if hasattr(error, "error_dict"):
        return [("" if f == NON_FIELD_ERRORS else f, " ".join(msgs)) for f, msgs in error.message_dict.items()]
    return [("", " ".join(error.messages))]


def record_name(instance) -> str:
    try:
        text = str(instance)
    except Exception:  # noqa: BLE001 - a __str__ reading a relation not yet written: name it by its key
        text = f"id={instance.pk}"
    return f"{instance._meta.verbose_name}「{text[:40]}」"


def _excluded(instance) -> list[str]:
    """Relations (the database checks them) and empty JSON values (the services store {} for "nothing yet",
    e.g. the proposed content of a 届出 read from a document, and never treat it as a missing value)."""
    fields = instance._meta.concrete_fields
    return [f.name for f in fields if f.is_relation or (isinstance(f, models.JSONField) and getattr(instance, f.attname) in ({}, []))]


def _refuse_wrong_types(instance) -> None:
    """What full_clean would coerce silently (a number or a list for a name, "yes" for a flag, 1e30 for a count)
    and NUL (U+0000), which PostgreSQL cannot store in text and SQLite would keep."""
    errors = {}
    for f in instance._meta.concrete_fields:
        value = getattr(instance, f.attname)
        if value is None or f.is_relation:
            continue
        if isinstance(f, models.CharField | models.TextField):
            if not isinstance(value, str):
                errors[f.name] = "文字列で指定してください。"
            elif "\x00" in value:
                errors[f.name] = "NUL 文字（U+0000）が含まれています。取り除いてください。"
        elif isinstance(f, models.BooleanField) and not isinstance(value, bool):
            errors[f.name] = "true か false で指定してください。"
        elif isinstance(f, models.IntegerField) and not f.primary_key and (isinstance(value, bool) or not isinstance(value, int)):
            errors[f.name] = "整数で指定してください。"
    if errors:
        raise ValidationError(errors)


def clean(instance, *, model_clean: bool = True) -> None:
    """The model's validation, without the database's own checks; RecordInvalid if it fails."""
    try:
        _refuse_wrong_types(instance)
        if model_clean:
            instance.full_clean(exclude=_excluded(instance), validate_unique=False, validate_constraints=False)
        else:
            instance.clean_fields(exclude=_excluded(instance))
    except ValidationError as exc:
        raise RecordInvalid(instance, exc) from None


def project_models() -> list:
    return [m for m in apps.get_models() if m.__module__.startswith("mamori.") and m._meta.managed and not m._meta.proxy]


@contextmanager
def validating() -> Iterator[set]:
    """While active, every save() is validated first; yields the (label, pk) of the objects saved."""
    saved: set = set()

    def before(sender, instance, raw=False, **kwargs):
        if not raw:
            clean(instance)

    def after(sender, instance, **kwargs):
        saved.add((sender._meta.label_lower, instance.pk))

    pre_save.connect(before, weak=False, dispatch_uid="mamori.integrity.before")
    post_save.connect(after, weak=False, dispatch_uid="mamori.integrity.after")
    try:
        yield saved
    finally:
        pre_save.disconnect(dispatch_uid="mamori.integrity.before")
        post_save.disconnect(dispatch_uid="mamori.integrity.after")


def sweep(saved: set) -> None:
    """Validate the rows no save() validated (written with bulk_create or update)."""
    for model in project_models():
        label = model._meta.label_lower
        for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
            if (label, obj.pk) not in saved:
                clean(obj, model_clean=False)
