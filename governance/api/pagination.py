from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from governance.cases.pagination import COUNT_CAP, InvalidCursor, count_cap, keyset_page


class CasePagination(PageNumberPagination):
    """Page numbers, for the short lists (a matter's timeline, an inbox)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CaseCursorPagination(BasePagination):
    """The matters list: newest first, ``next``/``previous`` links carrying a cursor,
    and a ``count`` that stops at COUNT_CAP (``count_capped`` says there are more):
    neither a deep page nor the count reads the whole county (cases.pagination)."""

    page_size = 50
    max_page_size = 500
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            size = min(max(int(request.query_params.get(self.page_size_query_param, self.page_size)), 1),
                       self.max_page_size)
        except ValueError:
            size = self.page_size
        try:
            self.page = keyset_page(queryset, cursor=request.query_params.get(self.cursor_query_param), size=size,
                                    cap=count_cap(request.query_params))
        except InvalidCursor:
            from django.utils.translation import gettext as _

            raise ValidationError({self.cursor_query_param: [_("This cursor is not valid; start from the first "
                                                                "page (no cursor).")]}) from None
        return self.page.rows

    def _link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        previous = self._link(self.page.previous_cursor)
        if previous is not None and self.page.previous_cursor and not self.page.rows:
            previous = remove_query_param(previous, self.cursor_query_param)
        return Response({
            "count": self.page.count,
            "count_capped": self.page.count_capped,
            "next": self._link(self.page.next_cursor),
            "previous": previous,
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_capped", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123,
                          "description": f"How many matters match, up to {COUNT_CAP}."},
                "count_capped": {"type": "boolean",
                                 "description": f"True when more than {COUNT_CAP} match (count is then {COUNT_CAP})."},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": "The cursor of a next or previous link.", "schema": {"type": "string"}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"Matters per page (at most {self.max_page_size}).", "schema": {"type": "integer"}},
        ]
