"""実施機関 and the organisation tree. The office, the auditors and the system administrator read all of it
(as the organisation screen); a department user reads their own unit and what hangs beneath it (the units they
may name in a 届出)."""
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from mamori.api.serializers import organisation as s
from mamori.api.views.base import LIST_ERRORS, ReadView, checked, guarded, param
from mamori.core import permissions as perm
from mamori.core.models import UNIT_CHAIN, Organ, OrgUnit, UnitKind

READERS = (perm.can_read_organisation, perm.is_department_user)


class Organs(ReadView):
    permission_classes = guarded(*READERS, message="組織を読めるのは、システム管理者・個人情報保護担当・監査・所管課です。")

    @extend_schema(operation_id="organs_list", summary="実施機関の一覧", tags=["組織"], responses={200: s.Organ(many=True), **LIST_ERRORS})
    def get(self, request):
        return self.listed(Organ.objects.order_by("order", "id"), s.Organ)


class UnitFilters(serializers.Serializer):
    organ = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
    q = serializers.CharField(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class Units(ReadView):
    permission_classes = guarded(*READERS, message="組織を読めるのは、システム管理者・個人情報保護担当・監査・所管課です。")

    @extend_schema(operation_id="units_list", summary="組織（部・課・係・チーム）の一覧", tags=["組織"],
                   parameters=[param("organ", "実施機関のコード"), param("kind", "division / section / unit / team"),
                               param("q", "名称の一部"), param("active", "true：有効な組織だけ", bool)],
                   responses={200: s.Unit(many=True), **LIST_ERRORS})
    def get(self, request):
        f = checked(UnitFilters, request.query_params)
        scope = Q() if perm.can_read_organisation(request.user) else perm.units_q(request.user)
        units = OrgUnit.objects.select_related("organ", UNIT_CHAIN).filter(scope)
        if f.get("organ"):
            units = units.filter(organ__code=f["organ"])
        if f.get("kind"):
            units = units.filter(kind=f["kind"])
        if f.get("q"):
            units = units.filter(name__icontains=f["q"])
        if f.get("active") is not None:
            units = units.filter(active=f["active"])
        return self.listed(units.order_by("path"), s.Unit)
