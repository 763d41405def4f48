"""研修 as the training page lists them (the office and the auditors)."""
import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamori.api.serializers import training as s
from mamori.api.views.base import DETAIL_ERRORS, LIST_ERRORS, ReadView, checked, guarded, param
from mamori.core import permissions as perm
from mamori.training import selectors

TAG = "研修"


class SessionFilters(serializers.Serializer):
    fiscal_year = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1989, max_value=2200)


class Sessions(ReadView):
    permission_classes = guarded(perm.can_read_training, message="研修の記録を読めるのは、個人情報保護担当と監査です。")

    @extend_schema(operation_id="training_sessions_list", summary="研修の一覧（日程の新しい順）", tags=[TAG],
                   parameters=[param("fiscal_year", "年度（西暦の開始年。例：2024 は令和6年度）", int)],
                   responses={200: s.Session(many=True), **LIST_ERRORS})
    def get(self, request):
        f = checked(SessionFilters, request.query_params)
        qs = selectors.sessions_visible(request.user).order_by("-held_on", "-id")
        if f["fiscal_year"]:
            year = f["fiscal_year"]
            qs = qs.filter(held_on__range=(datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)))
        return self.listed(qs, s.Session)


class SessionDetail(ReadView):
    permission_classes = guarded(perm.can_read_training, message="研修の記録を読めるのは、個人情報保護担当と監査です。")

    @extend_schema(operation_id="training_sessions_retrieve", summary="研修", tags=[TAG],
                   parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="研修のID")],
                   responses={200: s.Session, **DETAIL_ERRORS})
    def get(self, request, pk):
        session = selectors.sessions_visible(request.user).filter(pk=pk).first()
        if session is None:
            raise NotFound(f"研修（ID {pk}）は見つかりません。")
        return Response(s.Session(session, context=self.context()).data)
