"""DRF permission classes over core.permissions: the API asks the same predicates as the screens.

``allows(predicate)`` makes a class from one of core.permissions' predicates (``can_read_register`` …);
refusals carry the Japanese message the error handler returns.
"""
from rest_framework import permissions

from mamori.api.auth import token_of
from mamori.api.models import Scope


class SignedIn(permissions.BasePermission):
    message = "ログインするか、APIトークンを Authorization: Bearer ヘッダーで送ってください。"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_active)


class TokenScope(permissions.BasePermission):
    """A read-only token may read, never write (whatever its user may do)."""

    message = "このトークンは読み取り専用です。書き込みには権限「読み取りと書き込み」のトークンを作成してください。"

    def has_permission(self, request, view):
        token = token_of(request)
        return request.method in permissions.SAFE_METHODS or token is None or token.scope == Scope.WRITE


def allows(*predicates, message: str = "この操作を行う権限がありません。"):
    """A permission class that lets through users for whom any of the predicates holds."""

    class Allows(permissions.BasePermission):
        def has_permission(self, request, view):
            return any(p(request.user) for p in predicates)

    Allows.message = message
    Allows.__name__ = "Allows_" + "_or_".join(p.__name__ for p in predicates)
    return Allows
