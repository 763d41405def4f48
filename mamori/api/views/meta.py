"""The API's own pages: its index, the OpenAPI document, the docs page (Swagger UI from the sidecar's static
files, its script served apart so the site's CSP needs no inline script) and a JSON 404 for unknown paths."""
from django.contrib.auth.views import redirect_to_login
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from mamori.api.auth import token_of
from mamori.api.permissions import SignedIn
from mamori.api.views.base import READ_ERRORS, guarded

ENDPOINTS = {
    "organs": "api:organs", "units": "api:units", "items": "api:items", "categories": "api:categories", "programs": "api:programs",
    "notifications": "api:notifications", "requests": "api:requests", "contracts": "api:contracts", "incidents": "api:incidents",
    "training_sessions": "api:training_sessions", "impact": "api:impact", "schema": "api:schema", "docs": "api:docs",
}


class Caller(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    unit = serializers.CharField(allow_null=True)


class TokenInfo(serializers.Serializer):
    name = serializers.CharField()
    scope = serializers.CharField(help_text="read / write")
    expires_on = serializers.DateField()


class Index(serializers.Serializer):
    user = Caller()
    token = TokenInfo(allow_null=True, help_text="APIトークンで呼んだときそのトークン（セッションなら null）")
    endpoints = serializers.DictField(child=serializers.CharField())


class Root(APIView):
    permission_classes = guarded()

    @extend_schema(operation_id="root", summary="呼び出した利用者・トークンと、エンドポイントの一覧", tags=["全般"], responses={200: Index, **READ_ERRORS})
    def get(self, request):
        user, token = request.user, token_of(request)
        return Response({
            "user": {"username": user.username, "name": str(user), "role": user.role, "role_label": user.get_role_display(),
                     "unit": user.unit.label if user.unit_id else None},
            "token": {"name": token.name, "scope": token.scope, "expires_on": token.expires_on.isoformat()} if token else None,
            "endpoints": {key: request.build_absolute_uri(reverse(name)) for key, name in ENDPOINTS.items()},
        })


class Schema(SpectacularJSONAPIView):
    """The OpenAPI 3 document (JSON). Anyone signed in may read it; it holds no record, only the API's shape."""

    permission_classes = [SignedIn]


class Docs(SpectacularSwaggerSplitView):
    """For people: signed in by the session, else sent to the login page (the permission is checked here, not by DRF,
    which would answer 401 in JSON)."""

    url_name = "api:schema"
    permission_classes = []
    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:  # a person in a browser: to the login page, then back here
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)


class Missing(APIView):
    """Any other path under /api/v1/: a JSON 404 (a missing final slash is named)."""

    permission_classes = []
    authentication_classes = []
    throttle_classes = []

    @extend_schema(exclude=True)
    def get(self, request, rest=""):
        path = request.path if request.path.endswith("/") else request.path + "/"
        try:
            match = resolve(path)
            if match.url_name != "not_found":
                raise NotFound(f"{request.path} はありません。URL の末尾に / を付けてください（{path}）。")
        except (Resolver404, NoReverseMatch):
            pass
        raise NotFound(f"{request.path} はありません。一覧は /api/v1/ にあります。")

    post = put = patch = delete = get
