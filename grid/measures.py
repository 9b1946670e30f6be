"""Grid work on the leaders' dashboards: grid events by type and by loop step, with
case-list filters so every bar lists exactly its matters."""
from django.utils.translation import gettext_lazy as _

from governance.dashboards.measures import AppSeries, breakdown
from governance.extensions import CaseFilter
from grid.choices import EventStatus
from grid.models import EventType, GridEvent


def _type_choices():
    return [(str(pk), name) for pk, name in EventType.objects.values_list("pk", "name")]


FILTERS = [
    CaseFilter("grid_type", _("Grid event type"), _type_choices,
               lambda queryset, value: queryset.filter(grid_event__event_type_id=value)),
    CaseFilter("grid_step", _("Grid event step"), tuple(EventStatus.choices),
               lambda queryset, value: queryset.filter(grid_event__status=value)),
]


def by_type(scope):
    labels = dict(EventType.objects.values_list("pk", "name"))
    return breakdown(scope, GridEvent.objects.all(), case_field="case", group="event_type_id", labels=labels,
                     filter_name="grid_type")


def by_step(scope):
    return breakdown(scope, GridEvent.objects.all(), case_field="case", group="status",
                     labels=dict(EventStatus.choices), filter_name="grid_step")


SERIES = [
    AppSeries("grid-types", _("Grid events by type"), by_type),
    AppSeries("grid-steps", _("Grid events by step of the closed loop"), by_step),
]
