from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from governance.cases.pagination import COUNT_CAP, InvalidCursor, count_cap, keyset_page


def checked_page_size(request, param, default, maximum) -> int:
    """``?page_size=`` as a whole number from 1 to ``maximum``, or a 400 that says so
    (not a silent fallback: a client asking for "ten" should learn it was not understood)."""
    raw = request.query_params.get(param)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        from django.utils.translation import gettext as _

        raise ValidationError({param: [_("Give a whole number from 1 to %(max)s.") % {"max": maximum}]})
    return int(raw)


def page_size_parameter(param, maximum, what):
    return {"name": param, "required": False, "in": "query", "description": f"{what} per page (1 to {maximum}).",
            "schema": {"type": "integer", "minimum": 1, "maximum": maximum}}


class CasePagination(PageNumberPagination):
    """Page numbers, for the short lists (a matter's timeline, an inbox)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        return checked_page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.page_query_param, "required": False, "in": "query",
             "description": "A page number within the paginated result set.",
             "schema": {"type": "integer", "minimum": 1}},
            page_size_parameter(self.page_size_query_param, self.max_page_size, "Results"),
        ]


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
        size = checked_page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)
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
            page_size_parameter(self.page_size_query_param, self.max_page_size, "Matters"),
        ]
