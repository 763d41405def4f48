"""Requests as the request screens scope them (disclosure.selectors.requests_visible); registering one is the
intake screen's form and disclosure.services.request_create."""
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamori.api.errors import Invalid, form_errors, service_errors
from mamori.api.serializers import disclosure as s
from mamori.api.views.base import DETAIL_ERRORS, LIST_ERRORS, WRITE_ERRORS, ReadView, checked, guarded, param
from mamori.core import permissions as perm
from mamori.core.models import UNIT_CHAIN, Organ, OrgUnit
from mamori.disclosure import rules as disclosure_rules
from mamori.disclosure import selectors, services
from mamori.disclosure.forms import RequestForm
from mamori.disclosure.models import Procedure, RequestDocument, RequesterRole, RequestStatus

TAG = "請求"
UNITS = OrgUnit.objects.select_related(UNIT_CHAIN)


def _visible(user):
    return (selectors.requests_visible(user).select_related("organ")
            .prefetch_related(Prefetch("departments", queryset=UNITS.all())))


def _context(view) -> dict:
    user = view.request.user
    return {"request": view.request, "shows_requester": lambda r: selectors.can_see_requester(user, r)}


class RequestFilters(serializers.Serializer):
    procedure = serializers.ChoiceField(choices=Procedure.choices, required=False)
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)
    group = serializers.ChoiceField(choices=list(selectors.GROUPS.items()), required=False)


class Requests(ReadView):
    permission_classes = guarded(perm.can_read_requests, message="請求を読めるのは、個人情報保護担当・監査・請求に関係する所管課です。")

    @extend_schema(operation_id="requests_list", summary="請求の一覧（受付日の新しい順）", tags=[TAG],
                   parameters=[param("procedure", "手続（public-request, personal-disclosure …）"), param("status", "open 処理中 / decided 決定済み"),
                               param("group", "処理中の期限：overdue 期限超過 / soon 7日以内 / stopped 補正中 / later その他")],
                   responses={200: s.RequestSummary(many=True), **LIST_ERRORS})
    def get(self, request):
        f = checked(RequestFilters, request.query_params)
        qs = _visible(request.user)
        if f.get("group"):  # the dashboard's urgency groups, most urgent first
            group = selectors.urgency_group(request.user, f["group"], timezone.localdate())
            qs = qs.filter(pk__in=group.values("pk")).order_by("due_on", "received_on", "number")
        else:
            qs = qs.order_by("-received_on", "-number")
        for key in ("procedure", "status"):
            if f.get(key):
                qs = qs.filter(**{key: f[key]})
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.RequestSummary(page, many=True, context=_context(self)).data)

    @extend_schema(operation_id="requests_create", summary="請求を受け付ける（個人情報保護担当）", tags=[TAG],
                   request=s.RequestCreate, responses={201: s.RequestDetail, **WRITE_ERRORS})
    def post(self, request):
        perm.require(perm.can_decide_requests(request.user), "請求を受け付けられるのは個人情報保護担当です。")
        d = checked(s.RequestCreate, request.data)
        organ = Organ.objects.filter(code=d["organ"]).first()
        if organ is None:
            raise Invalid([("organ", f"実施機関のコード「{d['organ']}」はありません（/api/v1/organs/ を見てください）。")])
        # the units the intake form offers as 担当課 (active 課・係・チーム)
        offered = RequestForm().fields["departments"].queryset
        units = {u.code: u for u in offered.filter(code__in=d["departments"])}
        known = set(OrgUnit.objects.filter(code__in=d["departments"]).values_list("code", flat=True))
        missing = [(f"departments[{i}]", f"組織コード「{code}」はありません。" if code not in known else
                    f"「{code}」は担当課に選べません。課・係・プロジェクトチーム（有効なもの）の組織コードを指定してください。")
                   for i, code in enumerate(d["departments"]) if code not in units]
        missing += [(f"documents[{i}].department", f"組織コード「{x['department']}」は departments にありません。")
                    for i, x in enumerate(d["documents"]) if x["department"] and x["department"] not in d["departments"]]
        if missing:
            raise Invalid(missing)
        # As the intake screen starts: a 保有個人情報 request is the person's own unless said otherwise; a 公文書 has none.
        if not d["requester_role"] and not disclosure_rules.is_public(d["procedure"]):
            d["requester_role"] = RequesterRole.SELF
        # The intake screen's form: the same rules (e.g. a 保有個人情報 request names 本人・法定代理人・任意代理人) and words.
        form = RequestForm(data={**{k: d[k] for k in ("procedure", "channel", "requester_role", "requester_kind", "requester_name",
                                                       "requester_address", "requester_contact", "subject")},
                                 "organ": organ.pk, "departments": [units[c].pk for c in d["departments"]],
                                 "received_on": d["received_on"].isoformat(), "documents": ""})
        if not form.is_valid():
            raise form_errors(form)
        fields = dict(form.cleaned_data)
        departments = list(fields.pop("departments"))
        fields.pop("documents")
        first = units[d["departments"][0]]  # as the caller listed them (the form's are in the tree's order)
        documents = [(units[x["department"]] if x["department"] else first, x["title"].strip()) for x in d["documents"]]
        with service_errors():
            r = services.request_create(actor=request.user, departments=departments, handler=request.user, documents=documents, **fields)
        url = reverse("api:request", args=[r.number])
        return Response(s.RequestDetail(_one(request.user, r.number), context=_context(self)).data, status=201,
                        headers={"Location": request.build_absolute_uri(url)})


def _one(user, number):
    r = (_visible(user).prefetch_related(Prefetch("documents", queryset=RequestDocument.objects.select_related("request", f"department__{UNIT_CHAIN}")),
                                         "clock_events", "appeals")
         .filter(number=number).first())
    if r is None:
        raise NotFound(f"請求「{number}」は見つからないか、閲覧できません。")
    return r


class RequestDetail(ReadView):
    permission_classes = guarded(perm.can_read_requests, message="請求を読めるのは、個人情報保護担当・監査・請求に関係する所管課です。")

    @extend_schema(operation_id="requests_retrieve", summary="請求：文書ごとの決定、期限の記録、審査請求", tags=[TAG],
                   parameters=[OpenApiParameter("number", str, OpenApiParameter.PATH, description="受付番号（例：個2024-0001）")],
                   responses={200: s.RequestDetail, **DETAIL_ERRORS})
    def get(self, request, number):
        return Response(s.RequestDetail(_one(request.user, number), context=_context(self)).data)
