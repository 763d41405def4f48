"""漏えい等事案 as the incident screens allow (the office and the auditors), with the 規則第43条 assessment."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamori.api.serializers import incidents as s
from mamori.api.views.base import DETAIL_ERRORS, LIST_ERRORS, ReadView, guarded
from mamori.core import permissions as perm
from mamori.incidents import rules, selectors, services

TAG = "漏えい等"


def _facts(incidents):
    for incident in incidents:
        incident.reportable = services.reportable(incident)
    return incidents


class Incidents(ReadView):
    permission_classes = guarded(perm.can_read_incidents, message="漏えい等事案を読めるのは、個人情報保護担当と監査です。")

    @extend_schema(operation_id="incidents_list", summary="漏えい等事案の一覧（知った日の新しい順）", tags=[TAG],
                   responses={200: s.IncidentSummary(many=True), **LIST_ERRORS})
    def get(self, request):
        return self.listed(selectors.incidents_visible(request.user).order_by("-learned_on", "-id"), s.IncidentSummary, prepare=_facts)


class IncidentDetail(ReadView):
    permission_classes = guarded(perm.can_read_incidents, message="漏えい等事案を読めるのは、個人情報保護担当と監査です。")

    @extend_schema(operation_id="incidents_retrieve", summary="漏えい等事案：事実、報告事由の評価、確報の期限", tags=[TAG],
                   parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="事案のID")],
                   responses={200: s.IncidentDetail, **DETAIL_ERRORS})
    def get(self, request, pk):
        incident = selectors.incidents_visible(request.user).filter(pk=pk).first()
        if incident is None:
            raise NotFound(f"事案（ID {pk}）は見つからないか、閲覧できません。")
        _facts([incident])
        incident.assessment = rules.assess(services.facts_for(incident))
        incident.kakuhou_due = rules.clocks(incident.learned_on, incident.malicious).kakuhou_by
        return Response(s.IncidentDetail(incident, context=self.context()).data)
