"""Page numbers with the total count: ``?page=2&page_size=100`` (MAMORI_API_PAGE_SIZE, at most MAMORI_API_MAX_PAGE_SIZE)."""
from django.conf import settings
from django.core.paginator import InvalidPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamori.api.errors import Invalid


class Pages(pagination.PageNumberPagination):
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return settings.MAMORI_API_PAGE_SIZE
        most = settings.MAMORI_API_MAX_PAGE_SIZE
        if not text.isdigit() or not 1 <= int(text) <= most:
            raise Invalid([("page_size", f"1ページの件数は1から{most}までの整数で指定してください（指定：{text}）。")])
        return int(text)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, size)
        text = request.query_params.get(self.page_query_param) or "1"
        if not text.isdigit() or int(text) < 1:
            raise Invalid([("page", f"ページは1以上の整数で指定してください（指定：{text}）。")])
        try:
            self.page = paginator.page(int(text))
        except InvalidPage as exc:
            raise NotFound(f"ページ {text} はありません（全{paginator.num_pages}ページ、{paginator.count}件）。") from exc
        return list(self.page)

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "page": self.page.number,
            "pages": self.page.paginator.num_pages,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "page", "pages", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "条件に合う件数（全ページ）", "example": 123},
                "page": {"type": "integer", "description": "このページの番号（1から）", "example": 1},
                "pages": {"type": "integer", "description": "ページ数", "example": 3},
                "next": {"type": ["string", "null"], "format": "uri", "description": "次のページ（最後のページでは null）"},
                "previous": {"type": ["string", "null"], "format": "uri", "description": "前のページ（最初のページでは null）"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "required": False, "in": "query", "description": "ページ番号（1から）", "schema": {"type": "integer", "minimum": 1}},
            {"name": "page_size", "required": False, "in": "query", "description": f"1ページの件数（既定 {settings.MAMORI_API_PAGE_SIZE}、"
             f"最大 {settings.MAMORI_API_MAX_PAGE_SIZE}）", "schema": {"type": "integer", "minimum": 1, "maximum": settings.MAMORI_API_MAX_PAGE_SIZE}},
        ]
