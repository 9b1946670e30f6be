"""Small filters for the mediation pages."""
from datetime import timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from governance.extensions import clock_handler
from governance.templatetags.deadlines import provisional
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


@register.simple_tag
def provisional_clock(clock):
    """The core's "provisional" mark for a running clock whose last day lies in a year
    without an official holiday schedule (a period ending at 24:00 of 31 December is
    2026's, though its end is 1 January's 00:00)."""
    if clock.stopped_at is not None:
        return ""
    return provisional(clock.due_at - timedelta(seconds=1))


@register.filter
def paragraphs(text, css=""):
    """Each line of ``text`` as its own escaped paragraph (a printed document's layout)."""
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    attribute = format_html(' class="{}"', css) if css else ""
    return mark_safe("".join(format_html("<p{}>{}</p>", attribute, line) for line in lines))  # noqa: S308
