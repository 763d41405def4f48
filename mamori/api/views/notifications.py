"""届出: the list and a 届出 as the inbox and the 届出 page scope them (register.selectors.notifications_visible),
drafting one (register.services.notification_create) and submitting it (notification_submit, with its version)."""
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamori.api.errors import Invalid, form_errors, service_errors, zero_based
from mamori.api.serializers import register as s
from mamori.api.views.base import DETAIL_ERRORS, LIST_ERRORS, REGISTER, STALE, WRITE_ERRORS, ReadView, checked, guarded, param
from mamori.core import concurrency
from mamori.core import permissions as perm
from mamori.core.models import OrgUnit
from mamori.register import selectors, services
from mamori.register.forms import ProgramForm
from mamori.register.models import NotificationEvent, NotificationKind, NotificationStatus

TAG = "届出"
HEAD = ("kind", "program", "reason", "content", "effective_date")


def _field(key: str) -> str:
    """A key of register.services' ValidationError as the API's path: the 届出's own fields, or inside ``proposed``
    (register.serialize numbers groups and flows from 1, the API from 0)."""
    if key in HEAD or key == "proposed":
        return key
    return f"proposed.{zero_based(key)}"


def _detail(request, number: str):
    n = (selectors.notifications_visible(request.user)
         .select_related("base_version", "result_version")
         .prefetch_related(Prefetch("events", queryset=NotificationEvent.objects.select_related("actor")))
         .filter(number=number).first())
    if n is None:
        raise NotFound(f"届出「{number}」は見つからないか、閲覧できません。")
    n.actions = selectors.notification_actions(request.user, n)
    n.version = concurrency.token_for(n)
    return n


class NotificationFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=NotificationStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=NotificationKind.choices, required=False)
    program = serializers.CharField(required=False)


PROPOSED_EXAMPLE = {
    "kind": "new", "reason": "令和7年度から子育て世帯への給付を始めるため。", "content": "子育て応援給付金の支給に関する事務を新たに行う。",
    "effective_date": "2025-04-01",
    "proposed": {"name": "子育て応援給付金支給事業", "unit": "kyufu", "purpose": "給付金の支給のため。", "person_count": 3000,
                 "groups": [{"name": "受給者", "items": ["氏名", "住所", "口座番号"]}], "flows": []},
}


class Notifications(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="notifications_list", summary="届出の一覧（自分が見られる届出。保護担当には提出後のもの）", tags=[TAG],
                   parameters=[param("status", "状態（draft, submitted, approved, returned, accepted, withdrawn, imported）"),
                               param("kind", "new / change / abolish"), param("program", "事務事業の管理番号")],
                   responses={200: s.NotificationSummary(many=True), **LIST_ERRORS})
    def get(self, request):
        f = checked(NotificationFilters, request.query_params)
        qs = selectors.notifications_visible(request.user).order_by("-updated_at", "-id")
        for key in ("status", "kind"):
            if f.get(key):
                qs = qs.filter(**{key: f[key]})
        if f.get("program"):
            qs = qs.filter(program__code=f["program"])
        return self.listed(qs, s.NotificationSummary)

    @extend_schema(operation_id="notifications_create", summary="届出を作成する（作成中として保存。所管課の職員）", tags=[TAG],
                   request=s.NotificationCreate, responses={201: s.NotificationDetail, **WRITE_ERRORS},
                   examples=[OpenApiExample("新規の届出", value=PROPOSED_EXAMPLE, request_only=True)])
    def post(self, request):
        perm.require(perm.can_draft(request.user), "届出を作成できるのは所管課の職員です。")
        d = checked(s.NotificationCreate, request.data)
        program = None
        if d["program"]:
            program = selectors.program_get(request.user, d["program"])
            if program is None:  # the same words for a program of another department: it stays unseen
                raise Invalid([("program", f"管理番号「{d['program']}」の事務事業は見つからないか、この所属では届出を作成できません。")])
        proposed = d["proposed"]
        if proposed is not None and d["kind"] != NotificationKind.ABOLISH:
            _check_as_the_editor(proposed)
        with service_errors(_field):
            n = services.notification_create(actor=request.user, kind=d["kind"], program=program, reason=d["reason"], content=d["content"],
                                             proposed=proposed, effective_date=d["effective_date"])
        url = reverse("api:notification", args=[n.number])
        return Response(s.NotificationDetail(_detail(request, n.number), context=self.context()).data, status=201,
                        headers={"Location": request.build_absolute_uri(url)})


def _check_as_the_editor(proposed: dict) -> None:
    """The 届出 editor's own rules on the program's fields (register.forms.ProgramForm: e.g. 電算処理かマニュアル処理の
    少なくとも一方). The unit is left to the service, which says why a unit is refused."""
    form = ProgramForm(data={k: v for k, v in proposed.items() if k not in ("groups", "flows")}, units=OrgUnit.objects.all())
    if not form.is_valid():
        errors = form_errors(form, lambda key: f"proposed.{key}")
        errors.errors = [(f, m) for f, m in errors.errors if f != "proposed.unit"]
        if errors.errors:
            raise errors


NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description="届出番号（例：2024-0001）")


class NotificationDetail(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="notifications_retrieve", summary="届出：内容、経過、この利用者が行える操作、版（version）", tags=[TAG],
                   parameters=[NUMBER], responses={200: s.NotificationDetail, **DETAIL_ERRORS})
    def get(self, request, number):
        return Response(s.NotificationDetail(_detail(request, number), context=self.context()).data)


class NotificationSubmit(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="notifications_submit", summary="届出を課長に提出する（version が必要。古ければ 409）", tags=[TAG],
                   parameters=[NUMBER], request=s.Action, responses={200: s.NotificationDetail, **WRITE_ERRORS, **STALE})
    def post(self, request, number):
        n = _detail(request, number)
        d = checked(s.Action, request.data)
        with service_errors(lambda key: key):
            services.notification_submit(notification=n, actor=request.user, comment=d["comment"], base_version=d["version"])
        return Response(s.NotificationDetail(_detail(request, number), context=self.context()).data)
