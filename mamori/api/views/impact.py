"""The impact analysis (impact.selectors.ask): the same question as the 影響範囲 page, the same answer."""
import datetime

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from mamori.api.errors import Invalid, form_errors
from mamori.api.serializers import impact as s
from mamori.api.views.base import READ_ERRORS, REGISTER, ReadView, _error, guarded, param
from mamori.core import permissions as perm
from mamori.impact import selectors
from mamori.impact.forms import AskForm


class Impact(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="impact_retrieve", summary="影響範囲：委託事業者・記録項目・事務事業・外部提供先・オンライン結合の相手から", tags=["影響範囲"],
                   parameters=[param("kind", "contractor 委託事業者 / item 記録項目 / program 事務事業 / recipient 外部提供先 / partner オンライン結合の相手",
                                     required=True, enum=list(selectors.KINDS)),
                               param("value", "名称・番号（委託事業者は名称の一部か法人番号、事務事業は管理番号か名称）", required=True),
                               param("on", "基準日（YYYY-MM-DD か 令和6年7月1日。省略すると今日）：この日に期間内の契約だけを数えます", datetime.date)],
                   responses={200: s.Answer, **READ_ERRORS, 400: _error("調べ方・相手・基準日の誤り（相手が見つからないときも）")})
    def get(self, request):
        form = AskForm(request.query_params)
        if not form.is_valid():
            raise form_errors(form)
        d = form.cleaned_data
        try:
            answer = selectors.ask(request.user, d["kind"], d["value"], d["on"])
        except selectors.NotFound as exc:
            raise Invalid([("value", str(exc))]) from exc
        return Response(s.Answer(answer).data)
