"""The 個人情報ファイル簿 (法第75条) as published: what the public site shows, for the city's other systems.
Only published entries, built from filebook.selectors.public_entries (nothing internal)."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamori.api.serializers import files as s
from mamori.api.views.base import DETAIL_ERRORS, LIST_ERRORS, ReadView, checked, guarded, param
from mamori.core import permissions as perm
from mamori.filebook import selectors

TAG = "個人情報ファイル簿"
READERS = "個人情報ファイル簿を読めるのは、所管課・個人情報保護担当・監査・審議会委員です。"


class FileFilters(serializers.Serializer):
    include_deleted = serializers.BooleanField(required=False, default=False)


class Files(ReadView):
    permission_classes = guarded(perm.can_read_files, message=READERS)

    @extend_schema(operation_id="files_list", summary="個人情報ファイル簿（公表済みの記載、ファイル番号順）", tags=[TAG],
                   parameters=[param("include_deleted", "消除された記載も含める（true）", bool)],
                   responses={200: s.FileEntry(many=True), **LIST_ERRORS})
    def get(self, request):
        f = checked(FileFilters, request.query_params)
        entries = selectors.public_entries(include_deleted=f["include_deleted"])
        return self.listed(entries, s.FileEntry)


class FileDetail(ReadView):
    permission_classes = guarded(perm.can_read_files, message=READERS)

    @extend_schema(operation_id="files_retrieve", summary="個人情報ファイル簿の記載（消除されたものも）", tags=[TAG],
                   parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="ファイル番号（例：F00001）")],
                   responses={200: s.FileEntry, **DETAIL_ERRORS})
    def get(self, request, code):
        entry = next((e for e in selectors.public_entries(include_deleted=True) if e.code == code), None)
        if entry is None:
            raise NotFound(f"ファイル番号「{code}」の公表された記載はありません。")
        return Response(s.FileEntry(entry, context=self.context()).data)
