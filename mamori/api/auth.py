"""Who is calling: a bearer token (``Authorization: Bearer mamori_…``) or the browser's session (the docs page).

A token acts as its user with the user's permissions. It is refused (401, in Japanese) when it is unknown,
revoked, past its expiry or its user is deactivated. Its scope (read / write) is checked by
permissions.TokenScope. The session keeps Django's CSRF check for every write.
"""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from mamori.api import selectors, services
from mamori.api.models import ApiToken

KEYWORD = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None  # another scheme: not ours (the request stays anonymous and is refused as such)
        secret = secret.strip()
        if not secret or " " in secret:
            raise exceptions.AuthenticationFailed("Authorization ヘッダーは「Bearer <トークン>」の形で送ってください。")
        token = selectors.token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("このトークンは登録されていません。/account/api-tokens/ で作成したトークンを使ってください。")
        if token.revoked_at:
            raise exceptions.AuthenticationFailed("このトークンは失効しています。新しいトークンを作成してください。")
        if token.state_on() == "期限切れ":
            raise exceptions.AuthenticationFailed(f"このトークンは有効期限（{token.expires_label}）を過ぎています。新しいトークンを作成してください。")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("このトークンの利用者は無効になっています。")
        services.token_used(token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="mamori"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The logged-in browser (the docs page's 「Try it out」); writes need the CSRF token as on every page."""


def token_of(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "mamori.api.auth.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "/account/api-tokens/ で作成したAPIトークン（mamori_ で始まる文字列）"}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "mamori.api.auth.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid", "description": "ログイン中のブラウザ（書き込みには X-CSRFToken ヘッダー）"}
