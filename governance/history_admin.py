"""The admin side of configuration history (governance.history): who changed what."""
import contextlib

import pghistory
from django.contrib import admin
from django.contrib.admin.utils import display_for_field, unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from governance.people.models import User


class RuleHistoryAdmin(admin.ModelAdmin):
    """A rule admin that records who made each change and shows the rule's versions.

    The versions themselves are written by database triggers (see models.rules);
    here every write request runs inside a pghistory context naming the user, and
    the admin's "History" page lists the versions instead of the admin log, which
    misses changes made outside the admin.
    """

    object_history_template = "admin/governance/rule_history.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with self._history_context(request):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):  # list_editable and bulk delete
        with self._history_context(request):
            return super().changelist_view(request, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with self._history_context(request):
            return super().delete_view(request, object_id, extra_context)

    @staticmethod
    def _history_context(request):
        if request.method != "POST":
            return contextlib.nullcontext()
        return pghistory.context(user=request.user.pk, url=request.path)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        fields = [f for f in self.model.pgh_event_model._meta.fields if f.name in self.history_fields]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "columns": [capfirst(f.verbose_name) for f in fields],
            "versions": rule_versions(obj, fields),
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


VERSION_LABELS = {
    "baseline": _("As it stood when history recording began"),
    "insert": _("Added"),
    "update": _("Changed"),
    "delete": _("Deleted"),
}


def rule_versions(obj, fields):
    """The versions of ``obj``, oldest first: when, who, what, and each field's value
    (``changed`` where it differs from the version before)."""
    events = list(
        obj.events.select_related("pgh_context", *[f.name for f in fields if f.is_relation]).order_by("pgh_id")
    )
    user_ids = {e.pgh_context.metadata.get("user") for e in events if e.pgh_context}
    users = User.objects.in_bulk([pk for pk in user_ids if pk is not None])
    versions, previous = [], None
    for event in events:
        user = users.get(event.pgh_context.metadata.get("user")) if event.pgh_context else None
        versions.append({
            "at": event.pgh_created_at,
            "by": f"{user} ({user.get_username()})" if user else "",
            "what": VERSION_LABELS.get(event.pgh_label, event.pgh_label),
            "cells": [
                {
                    "value": display_for_field(getattr(event, f.name), f, "—"),
                    "changed": previous is not None and getattr(event, f.attname) != getattr(previous, f.attname),
                }
                for f in fields
            ],
        })
        previous = event
    return versions
