"""What every API view shares: who may call it, the documented error answers, input checked by a serializer."""
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import generics

from mamori.api.errors import Invalid, flatten
from mamori.api.permissions import SignedIn, TokenScope, allows
from mamori.api.serializers.common import ErrorBody, StaleBody

REGISTER = "管理簿（事務事業・届出・記録項目・影響範囲）を読めるのは、所管課・個人情報保護担当・監査です。"


def guarded(*predicates, message: str = "この操作を行う権限がありません。") -> list:
    """Signed in (token or session), the token's scope, and one of core.permissions' predicates."""
    return [SignedIn, TokenScope, allows(*predicates, message=message)] if predicates else [SignedIn, TokenScope]


def _error(text: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorBody, description=text)


READ_ERRORS = {
    401: _error("未認証：トークンがない・登録されていない・失効・期限切れ"),
    403: _error("この役割では使えません"),
    429: _error("リクエストが多すぎます（Retry-After 秒後に再試行）"),
}
LIST_ERRORS = {**READ_ERRORS, 400: _error("検索条件の誤り（field にどの条件か）"), 404: _error("ページがありません")}
DETAIL_ERRORS = {**READ_ERRORS, 404: _error("ないか、閲覧できない（他の課の記録も 404）")}
WRITE_ERRORS = {**DETAIL_ERRORS, 400: _error("入力の誤り（errors に位置と内容）"),
                403: _error("この役割・この記録では書き込めない、または読み取り専用のトークン")}
STALE = {409: OpenApiResponse(StaleBody, description="送った version の後に記録が変わった（何も保存していません）")}


def param(name: str, description: str, kind=str, required: bool = False, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=required, description=description, **kwargs)


def checked(serializer_class, data, **kwargs) -> dict:
    """Input through a serializer: its errors as field paths (400), else the validated data."""
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        raise Invalid(flatten(serializer.errors))
    return serializer.validated_data


class ReadView(generics.GenericAPIView):
    """A read: the queryset comes from a selector, scoped to the caller."""

    def context(self) -> dict:
        return {"request": self.request}

    def listed(self, queryset, serializer_class, prepare=None):
        page = self.paginate_queryset(queryset)
        if prepare is not None:
            prepare(page)
        return self.get_paginated_response(serializer_class(page, many=True, context=self.context()).data)
