"""Deadlines as people read them: a mark on those counted with holidays by rule
(a year without an official schedule), which may still change."""
from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from governance.timers.calendar import deadline_is_provisional

register = template.Library()


@register.simple_tag
def provisional(moment, style="badge"):
    """A "provisional" mark for ``moment`` if its year has no official holiday schedule;
    ``style="text"`` for printed receipts."""
    if not deadline_is_provisional(moment):
        return ""
    explanation = _("Counted with the public holidays by rule; it may change when the official holiday "
                    "schedule is published.")
    if style == "text":
        return format_html("（{}：{}）", _("provisional"), explanation)
    return format_html('<span class="badge text-bg-warning provisional" title="{}">{}</span>', explanation,
                       _("provisional"))
