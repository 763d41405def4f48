"""Every error of the API in one shape, in Japanese, never a traceback:

    {"message": "入力を確かめてください。", "errors": [{"field": "proposed.groups[0].items[1]", "message": "…"}]}

``field`` is the path of the input in error (null for the request as a whole). A stale edit (409) adds
``version`` (the record's version now) and ``changes`` (what changed since the version sent).
DRF's validation errors, the services' Django ValidationError (their field keys, mapped by the view with
``service_errors``), permission refusals and every other status answer alike.
"""
import logging
import re
import traceback
from collections.abc import Callable
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from mamori.core.concurrency import StaleEdit

logger = logging.getLogger("mamori.api")

INVALID = "入力を確かめてください。"
MESSAGES = {
    400: "リクエストの内容を確かめてください。",
    401: "ログインするか、APIトークンを Authorization: Bearer ヘッダーで送ってください。",
    403: "この操作を行う権限がありません。",
    404: "見つかりません。URLとIDを確かめてください。",
    406: "応答は application/json だけで返せます。Accept ヘッダーを確かめてください。",
    415: "本文は JSON で、Content-Type: application/json を付けて送ってください。",
    500: "サーバーで問題が起きました。時間をおいてもう一度試し、続くときはシステム管理者に連絡してください。",
}


class Invalid(exceptions.APIException):
    """Input refused, with (field path, message) pairs: from a service's ValidationError or a screen's form."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, errors: list[tuple[str | None, str]], message: str = INVALID):
        self.errors = errors
        super().__init__(message)


def _join(prefix: str, key) -> str:
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return f"{prefix}[{key}]"
    if key in (NON_FIELD_ERRORS, "non_field_errors"):
        return prefix
    return f"{prefix}.{key}" if prefix else str(key)


def flatten(detail, prefix: str = "") -> list[tuple[str | None, str]]:
    """DRF's nested error detail as (path, message): dicts give keys, lists of dicts (or ListField's
    {index: …}) give [i]."""
    out: list[tuple[str | None, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            out += flatten(value, _join(prefix, key))
    elif isinstance(detail, (list, tuple)):
        if all(isinstance(v, (str, exceptions.ErrorDetail)) for v in detail):
            out += [(prefix or None, str(v)) for v in detail]
        else:
            for i, value in enumerate(detail):
                if value:
                    out += flatten(value, f"{prefix}[{i}]") if isinstance(value, (dict, list)) else [(prefix or None, str(value))]
    else:
        out.append((prefix or None, str(detail)))
    return out


def django_errors(exc: DjangoValidationError, field: Callable[[str], str | None] = lambda key: key) -> list[tuple[str | None, str]]:
    """A service's ValidationError as (path, message); ``field`` maps its keys to the API's paths."""
    if hasattr(exc, "error_dict"):
        return [(None if key == NON_FIELD_ERRORS else field(key), message)
                for key, errors in exc.error_dict.items() for error in errors for message in error.messages]
    return [(None, message) for message in exc.messages]


@contextmanager
def service_errors(field: Callable[[str], str | None] = lambda key: key):
    """Around a service call: its ValidationError becomes ``Invalid`` with the API's field paths (a stale edit stays
    itself: the handler answers 409)."""
    try:
        yield
    except StaleEdit:
        raise
    except DjangoValidationError as exc:
        raise Invalid(django_errors(exc, field)) from exc


def form_errors(form, field: Callable[[str], str | None] = lambda key: key) -> Invalid:
    """A screen's form that refused the input, as ``Invalid`` (the same rules and words as on the screen)."""
    return Invalid([(None if key == NON_FIELD_ERRORS else field(key), str(message))
                    for key, messages in form.errors.items() for message in messages])


INDEX = re.compile(r"\[(\d+)\]")


def zero_based(path: str) -> str:
    """register.serialize numbers groups and flows from 1 (its messages say 「1番目の」); the API's paths from 0."""
    return INDEX.sub(lambda m: f"[{int(m[1]) - 1}]", path)


def body(message: str, errors=(), **extra) -> dict:
    return {"message": message, "errors": [{"field": f, "message": m} for f, m in errors], **extra}


def handler(exc, context):
    view = context.get("view")
    if isinstance(exc, StaleEdit):
        changes = [{"field": c.label, "before": c.before, "now": c.now} for c in exc.changes]
        return Response(body(exc.text(), version=exc.token, changes=changes), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = Invalid(django_errors(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or MESSAGES[403])
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(MESSAGES[404])
    response = drf_handler(exc, context)
    if response is None:  # not an API exception: a bug. The log names it without the data (no message, no values).
        frames = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("API %s %s: %s\n%s", getattr(context.get("request"), "method", "?"), type(view).__name__, type(exc).__name__, frames)
        return Response(body(MESSAGES[500]), status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    code = response.status_code
    if isinstance(exc, Invalid):
        response.data = body(str(exc.detail), exc.errors)
    elif isinstance(exc, exceptions.ValidationError):
        response.data = body(INVALID, flatten(exc.detail))
    elif isinstance(exc, exceptions.MethodNotAllowed):
        allowed = ", ".join(m for m in getattr(view, "allowed_methods", []) if m not in ("OPTIONS", "HEAD"))
        response.data = body(f"このURLでは {context['request'].method} は使えません（使えるのは {allowed}）。")
    elif isinstance(exc, exceptions.Throttled):
        wait = f"{int(exc.wait) + 1}秒後に" if exc.wait is not None else "しばらくしてから"
        response.data = body(f"リクエストが多すぎます（上限は1分あたりの回数で決まっています）。{wait}もう一度試してください。")
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        response.data = body("ブラウザのログインで書き込むには、X-CSRFToken ヘッダーに csrftoken クッキーの値を付けてください（トークンで呼ぶときは不要です）。")
    elif isinstance(exc, exceptions.ParseError):
        response.data = body("リクエストの本文を JSON として読めませんでした。形式を確かめてください。")
    elif code in (401, 403, 404) and isinstance(exc, exceptions.APIException) and _own_words(exc):
        response.data = body(str(exc.detail))
    else:
        response.data = body(MESSAGES.get(code, MESSAGES[400]))
    return response


def _own_words(exc: exceptions.APIException) -> bool:
    """The exception carries a message of ours (Japanese), not DRF's default."""
    detail = str(exc.detail)
    return detail != str(exc.default_detail) and any(ord(ch) > 0x7F for ch in detail)
