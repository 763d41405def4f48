"""The register as its screens show it: the vocabulary, programs (register.selectors.register_search, the list's
filters exactly), a program with its current version, groups, items and flows, and its versions."""
from types import SimpleNamespace

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamori.api.serializers import register as s
from mamori.api.views.base import DETAIL_ERRORS, LIST_ERRORS, REGISTER, ReadView, checked, guarded, param
from mamori.core import permissions as perm
from mamori.register import selectors
from mamori.register.models import Item, ItemCategory, ProgramVersion

TAG = "管理簿"


# ---------------------------------------------------------------- vocabulary


class ItemFilters(serializers.Serializer):
    q = serializers.CharField(required=False)
    category = serializers.IntegerField(required=False)
    unreviewed = serializers.BooleanField(required=False, default=False)
    sensitive = serializers.BooleanField(required=False, default=False)
    my_number = serializers.BooleanField(required=False, default=False)


class Items(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="items_list", summary="記録項目（語彙）の一覧：同義語と区分つき", tags=["記録項目"],
                   parameters=[param("q", "項目名の一部"), param("category", "分類のID", int), param("unreviewed", "true：未確認の項目名だけ", bool),
                               param("sensitive", "true：要配慮個人情報だけ", bool), param("my_number", "true：個人番号だけ", bool)],
                   responses={200: s.Item(many=True), **LIST_ERRORS})
    def get(self, request):
        f = checked(ItemFilters, request.query_params)
        items = Item.objects.select_related("category", "alias_of").prefetch_related("aliases").order_by("category__order", "order", "name")
        if f.get("q"):
            items = items.filter(name__icontains=f["q"])
        if f.get("category"):
            items = items.filter(category_id=f["category"])
        if f["unreviewed"]:
            items = items.filter(reviewed=False)
        for flag in ("sensitive", "my_number"):
            if f[flag]:
                items = items.filter(Q(**{flag: True, "alias_of__isnull": True}) | Q(**{f"alias_of__{flag}": True}))
        return self.listed(items, s.Item)


class Categories(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="categories_list", summary="記録項目の分類", tags=["記録項目"], responses={200: s.Category(many=True), **LIST_ERRORS})
    def get(self, request):
        return self.listed(ItemCategory.objects.order_by("order", "id"), s.Category)


# ---------------------------------------------------------------- programs


class ProgramFilters(serializers.Serializer):
    """register.views._filters, for the API: the same keys and meanings."""

    q = serializers.CharField(required=False, default="")
    item = serializers.CharField(required=False, default="")
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, error_messages={"invalid": "組織のID（数字）で指定してください。"})
    sensitive = serializers.BooleanField(required=False, default=False)
    my_number = serializers.BooleanField(required=False, default=False)
    contractor = serializers.CharField(required=False, default="")
    source = serializers.CharField(required=False, default="")
    abolished = serializers.BooleanField(required=False, default=False)


PROGRAM_FILTERS = [
    param("q", "事務事業名の一部、または管理番号"), param("item", "記録項目（同義語も含めて探します）"),
    param("unit", "担当の組織ID（その下の組織を含む）", int), param("sensitive", "true：要配慮個人情報を含む", bool),
    param("my_number", "true：特定個人情報（マイナンバー）を含む", bool), param("contractor", "外部委託先の名称の一部"),
    param("source", "目的外利用による収集元の事務事業名の一部"), param("abolished", "true：廃止した事務事業も含める", bool),
]


class Programs(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="programs_list", summary="事務事業の一覧と検索（管理簿の画面と同じ条件）", tags=[TAG],
                   parameters=PROGRAM_FILTERS, responses={200: s.ProgramSummary(many=True), **LIST_ERRORS})
    def get(self, request):
        f = checked(ProgramFilters, request.query_params)
        filters = selectors.RegisterFilters(**{k: (v.strip() if isinstance(v, str) else v) for k, v in f.items()})
        programs = selectors.register_search(request.user, filters)
        programs = programs.order_by(*programs.query.order_by, "code")  # its order; the code breaks ties, so pages never overlap
        return self.listed(programs, s.ProgramSummary, prepare=selectors.mark_flags)


def program_or_404(user, code: str):
    program = selectors.program_get(user, code)
    if program is None:
        raise NotFound(f"管理番号「{code}」の事務事業は見つからないか、閲覧できません。")
    return program


CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="管理番号（例：P00001）")
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="版")


class ProgramDetail(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="programs_retrieve", summary="事務事業：現行の版（本人の範囲・記録項目・流れ）、版の一覧、他からの流れ", tags=[TAG],
                   parameters=[CODE], responses={200: s.ProgramDetail, **DETAIL_ERRORS})
    def get(self, request, code):
        program = program_or_404(request.user, code)
        versions = list(selectors.program_versions(program))
        for v in versions:
            v.program = program
        data = SimpleNamespace(code=program.code, current=program.current, version=selectors.version_full(program.current_id),
                               versions=versions, incoming=selectors.program_incoming(program))
        return Response(s.ProgramDetail(data, context=self.context()).data)


class Versions(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="program_versions_list", summary="事務事業の版の一覧（新しい順）", tags=[TAG], parameters=[CODE],
                   responses={200: s.VersionSummary(many=True), **LIST_ERRORS, **DETAIL_ERRORS})
    def get(self, request, code):
        program = program_or_404(request.user, code)

        def attach(page):
            for v in page:
                v.program = program

        return self.listed(selectors.program_versions(program), s.VersionSummary, prepare=attach)


class VersionDetail(ReadView):
    permission_classes = guarded(perm.can_read_register, message=REGISTER)

    @extend_schema(operation_id="program_versions_retrieve", summary="事務事業のある版", tags=[TAG], parameters=[CODE, NUMBER],
                   responses={200: s.Version, **DETAIL_ERRORS})
    def get(self, request, code, number):
        program = program_or_404(request.user, code)
        version = ProgramVersion.objects.filter(program=program, number=number).values_list("pk", flat=True).first()
        if version is None:
            raise NotFound(f"事務事業「{code}」に第{number}版はありません。")
        return Response(s.Version(selectors.version_full(version), context=self.context()).data)
