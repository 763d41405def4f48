"""/account/api-tokens/: the person's own API tokens (beside 「パスワード変更」 in the header)."""
from django.urls import path

from mamori.api import pages

app_name = "api_tokens"
urlpatterns = [
    path("", pages.tokens, name="list"),
    path("<int:pk>/revoke/", pages.revoke, name="revoke"),
]
