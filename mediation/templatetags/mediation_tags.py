"""Small filters for the mediation pages."""
from django import template

from governance.extensions import clock_handler
from mediation import clocks
from mediation.choices import Route

register = template.Library()


@register.filter
def route_labels(routes):
    return "、".join(str(Route(route).label) for route in routes or [] if route in Route.values)


@register.filter
def clock_label(clock):
    handler = clock_handler(clock.kind)
    return handler.label if handler else clock.kind


@register.filter
def last_day(due_at):
    """The last day of a period ending at ``due_at`` (24:00 of that day)."""
    return clocks.last_day(due_at) if due_at else None


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
