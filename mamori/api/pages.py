"""The API tokens page (/account/api-tokens/, linked from the header): a user creates their tokens, sees each
secret once, and revokes them. Every role may have tokens; a token never does more than its user may."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.api import selectors, services
from mamori.api.forms import TokenForm
from mamori.core import concurrency
from mamori.core.concurrency import StaleEdit
from mamori.core.forms import attach_errors


def tokens(request):
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.token_create(actor=request.user, **form.cleaned_data)
            form = TokenForm()  # the next token starts empty; this one's secret is on the page once, nowhere else
        except ValidationError as exc:
            attach_errors(exc, form)
    rows = list(selectors.tokens_of(request.user))
    today = timezone.localdate()
    return render(request, "api/tokens.html", {
        "form": form, "created": created, "secret": secret, "today": today, "max_days": settings.MAMORI_API_TOKEN_MAX_DAYS,
        "rows": [(t, t.state_on(today), concurrency.token_for(t)) for t in rows],
        "api_url": request.build_absolute_uri("/api/v1/"),
    })


@require_POST
def revoke(request, pk):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
    try:
        services.token_revoke(actor=request.user, token=token, base_version=concurrency.token_from(request.POST) or "")
        messages.success(request, f"APIトークン{token}を失効させました。このトークンを使う連携はもう使えません。")
    except StaleEdit as exc:
        messages.error(request, exc.text())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("api_tokens:list")
