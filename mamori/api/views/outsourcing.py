"""Contracts as the outsourcing screens scope them (outsourcing.selectors.contracts_visible), each with its
sub-contract chain; recording a contractor's accident report is the contract page's form and
outsourcing.services.incident_report."""
import datetime

from django.db.models import Q
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamori.api.errors import form_errors, service_errors
from mamori.api.serializers import outsourcing as s
from mamori.api.views.base import DETAIL_ERRORS, LIST_ERRORS, WRITE_ERRORS, ReadView, checked, guarded, param
from mamori.core import permissions as perm
from mamori.outsourcing import selectors, services
from mamori.outsourcing.forms import IncidentForm
from mamori.outsourcing.rules import KINDS

TAG = "委託"


class ContractFilters(serializers.Serializer):
    q = serializers.CharField(required=False, default="")
    program = serializers.CharField(required=False, default="")
    contractor = serializers.IntegerField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=list(KINDS.items()), required=False)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class Contracts(ReadView):
    permission_classes = guarded(perm.can_read_contracts, message="委託契約を読めるのは、個人情報保護担当・監査・所管課です。")

    @extend_schema(operation_id="contracts_list", summary="委託契約の一覧（開始日の新しい順）", tags=[TAG],
                   parameters=[param("q", "受注者名か契約件名の一部（委託の画面の検索と同じ）"), param("program", "事務事業の管理番号"),
                               param("contractor", "受注者のID", int), param("kind", "outsourcing / sub / subsub / …"),
                               param("on", "この日に契約期間内のものだけ（YYYY-MM-DD）", datetime.date)],
                   responses={200: s.ContractSummary(many=True), **LIST_ERRORS})
    def get(self, request):
        f = checked(ContractFilters, request.query_params)
        qs = selectors.contracts_visible(request.user).select_related("program__current", "contractor")
        if f["q"].strip():
            qs = qs.filter(Q(contractor__name__icontains=f["q"].strip()) | Q(title__icontains=f["q"].strip()))
        if f["program"]:
            qs = qs.filter(program__code=f["program"])
        if f["contractor"]:
            qs = qs.filter(contractor_id=f["contractor"])
        if f.get("kind"):
            qs = qs.filter(kind=f["kind"])
        if f["on"]:
            qs = qs.filter(starts_on__lte=f["on"], ends_on__gte=f["on"])
        return self.listed(qs.order_by("-starts_on", "id"), s.ContractSummary)


PK = OpenApiParameter("id", int, OpenApiParameter.PATH, description="契約のID")


def contract_or_404(user, pk: int):
    contract = selectors.contracts_visible(user).filter(pk=pk).first()
    if contract is None:
        raise NotFound(f"契約（ID {pk}）は見つからないか、閲覧できません。")
    return contract


class ContractDetail(ReadView):
    permission_classes = guarded(perm.can_read_contracts, message="委託契約を読めるのは、個人情報保護担当・監査・所管課です。")

    @extend_schema(operation_id="contracts_retrieve", summary="委託契約：再委託の連鎖、別紙の受領、受注者からの事故報告", tags=[TAG],
                   parameters=[PK], responses={200: s.ContractDetail, **DETAIL_ERRORS})
    def get(self, request, pk):
        contract = contract_or_404(request.user, pk)
        contract.chain = [{"depth": depth, "contract": node} for depth, node in selectors.chain(contract)]
        return Response(s.ContractDetail(contract, context=self.context()).data)


class IncidentReports(ReadView):
    permission_classes = guarded(perm.can_read_contracts, message="委託契約を読めるのは、個人情報保護担当・監査・所管課です。")

    @extend_schema(operation_id="contracts_incident_reports_create", summary="受注者からの事故報告を記録する（特記事項第13条）", tags=[TAG],
                   parameters=[PK], request=s.IncidentReportCreate, responses={201: s.IncidentReport, **WRITE_ERRORS})
    def post(self, request, pk):
        contract = contract_or_404(request.user, pk)
        perm.require(services.can_manage(request.user, contract.program), "この契約の事故報告を記録する権限がありません。")
        d = checked(s.IncidentReportCreate, request.data)
        form = IncidentForm(data={"occurred_on": d["occurred_on"].isoformat() if d["occurred_on"] else "", "reported_on": d["reported_on"].isoformat(),
                                  "summary": d["summary"]})
        if not form.is_valid():  # the contract page's form: the same rules and words
            raise form_errors(form)
        with service_errors():
            report = services.incident_report(actor=request.user, contract=contract, **form.cleaned_data)
        url = reverse("api:contract", args=[contract.pk])
        return Response(s.IncidentReport(report).data, status=201, headers={"Location": request.build_absolute_uri(url)})
