"""The dashboards' API: every measure with its definition and drill-down, and each
chart's series. A place outside the caller's own is a 404, as everywhere."""
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.dashboards import selectors
from governance.dashboards.forms import PeriodForm
from governance.dashboards.rollup import refreshed_at
from governance.people.roles import DASHBOARDS

PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First registration day (default: 1 January)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last registration day (default: today)"),
    OpenApiParameter("region", OpenApiTypes.STR, description="A county, town or village code within yours"),
]
FIGURE = inline_serializer("DashboardFigure", {
    "key": serializers.CharField(), "label": serializers.CharField(), "definition": serializers.CharField(),
    "numerator": serializers.IntegerField(),
    "denominator": serializers.IntegerField(allow_null=True),
    "value": serializers.FloatField(allow_null=True),
    "drilldown": serializers.CharField(help_text="The /api/v1/cases/ list of exactly the matters counted."),
    "denominator_drilldown": serializers.CharField(allow_null=True),
})
ERROR = inline_serializer("DashboardError", {"detail": serializers.CharField()})


def cases_url(params) -> str:
    return f"{reverse('api:case-list')}?{selectors.drill_query(params)}"


class DashboardView(APIView):
    """Checks the right and the place, then answers for the scope."""

    def scope(self, request):
        if not request.user.has_perm("governance.view_dashboard"):
            raise PermissionDenied(str(DASHBOARDS.refusal))
        form = PeriodForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        try:
            return selectors.scope_for(user=request.user, **form.scope_arguments())
        except selectors.OutOfScope:
            raise Http404 from None

    def header(self, scope, as_of):
        return {"region": scope.region.code, "region_name": scope.region.name, "from": scope.date_from,
                "to": scope.date_to, "as_of": as_of}


class SummaryView(DashboardView):
    @extend_schema(parameters=PARAMETERS, responses={
        200: inline_serializer("DashboardSummary", {
            "region": serializers.CharField(), "region_name": serializers.CharField(),
            "from": serializers.DateField(), "to": serializers.DateField(),
            "as_of": serializers.DateTimeField(allow_null=True, help_text="When the summary was last updated"),
            "measures": serializers.ListField(child=FIGURE)}),
        400: OpenApiTypes.OBJECT, 403: ERROR, 404: ERROR})
    def get(self, request):
        """Every measure for the place and period: numerator, denominator, value, definition, and
        the drill-down list whose count equals the numerator."""
        scope = self.scope(request)
        result = selectors.summary(scope)
        measures = [{**figure, "drilldown": cases_url(figure["drilldown"]),
                     "denominator_drilldown": None if figure["denominator_drilldown"] is None
                     else cases_url(figure["denominator_drilldown"])}
                    for figure in result["figures"]]
        for figure in measures:
            figure.pop("is_rate", None)
        return Response({**self.header(scope, result["as_of"]), "measures": measures})


class SeriesView(DashboardView):
    @extend_schema(parameters=PARAMETERS, responses={
        200: inline_serializer("DashboardSeries", {
            "region": serializers.CharField(), "from": serializers.DateField(), "to": serializers.DateField(),
            "as_of": serializers.DateTimeField(allow_null=True),
            "series": serializers.ListField(child=serializers.DictField())}),
        400: OpenApiTypes.OBJECT, 403: ERROR, 404: ERROR})
    def get(self, request, name):
        """One chart's series: trend, categories, channels, places, funnel or open-age, or an
        app's (grid-types, grid-steps, petition-steps); each item carries the drill-down list
        of its matters."""
        series = selectors.series_for(name)
        if series is None:
            raise Http404
        scope = self.scope(request)
        items = [{**item, "drilldown": cases_url(item["drilldown"])} for item in series(scope)]
        return Response({**self.header(scope, refreshed_at()), "series": items})
