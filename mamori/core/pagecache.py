"""The busiest read-only pages, kept per person until anything is written anywhere.

Every write in Mamori goes through a service that records an audit event in the same transaction
(core.audit), so the newest audit event's id is a version of the whole database: a page rendered
at version N is exactly what the same person would see again while the version is still N. A page
is therefore cached under (the view, the person, the full URL, the htmx flag, today's date, the data
version) and is never stale — the first write after it makes every cached page unreachable. The CSRF
token in a page is not kept: it is cut out when the page is stored and the requester's own token is
put back on every hit. Nothing is cached for a page with messages to show, for a response that sets
a cookie, or for anything but a plain 200.

The cache is Django's (settings.CACHES["pages"], process memory by default): a second server has its
own and stays correct, because the version comes from the shared database.
"""
import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from mamori.core.models import AuditEvent

# Where a rendered page carries its CSRF token: the hidden field of every form, and htmx's header.
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{32,64})(")')
TOKEN_MARK = b"\x00csrf\x00"


def data_version() -> int:
    """The id of the newest audit event: it changes with every write (one index lookup)."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _key(view, request) -> str:
    parts = (
        f"{view.__module__}.{view.__qualname__}", str(request.user.pk), request.get_full_path(),
        request.headers.get("HX-Request", ""), timezone.localdate().isoformat(), str(data_version()),
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_page(view):
    """Serve this GET view from the page cache while nothing has been written (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.MAMORI_PAGE_CACHE or request.method != "GET" or not request.user.is_authenticated or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        cache = caches["pages"]
        key = _key(view, request)
        hit = cache.get(key)
        if hit is not None:
            content_type, content = hit
            return HttpResponse(content.replace(TOKEN_MARK, get_token(request).encode()), content_type=content_type)
        response = view(request, *args, **kwargs)
        if (response.status_code == 200 and not response.streaming and not response.has_header("Content-Disposition")
                and not len(messages.get_messages(request))):
            cache.set(key, (response["Content-Type"], CSRF_TOKEN.sub(lambda m: m.group(1) + TOKEN_MARK + m.group(3), response.content)))
        return response

    return wrapper
