"""The Django admin, in Chinese: regions, organisations, staff, categories, matters,
and the tier and signal rules (with their change history, and a what-if preview
before a tier rule is saved).

Matters are read here through the same scope rule as everywhere else; they are
registered and changed through the intake pages and services, not edited raw.
"""
import contextlib
import copy

import pghistory
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field, flatten_fieldsets, unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from governance.timers import calendar as workdays
from governance.cases.masking import mask_phone
from governance.cases.models import Case, CaseEvent, Category, Party
from governance.organisations.models import Organisation
from governance.people.models import User
from governance.people.roles import sync_user_role_group
from governance.places.models import Region
from governance.supervision.models import SignalRule
from governance.timers.models import TierRule, WorkdayOverride
from governance.cases.querysets import VIEW
from governance.resources import RegionResource, StaffResource
from governance.timers.preview import PREVIEW_DAYS, preview_rule


def warn_uncovered_years(request, *, from_rules=False):
    """Deadlines in a year the statutory holiday package does not know count
    Monday to Friday only (workdays.py): say so where it matters."""
    this_year = timezone.localdate().year
    missing = workdays.uncovered_years([this_year, this_year + 1])
    if not missing:
        return
    years = ", ".join(map(str, missing))
    if from_rules:
        message = format_html(
            gettext(
                "The statutory holiday calendar has no data for {years}: deadlines there count Monday to "
                "Friday only. Enter that year's holidays and make-up working days under "
                '<a href="{url}">working-day overrides</a>.'
            ),
            years=years, url=reverse("admin:governance_workdayoverride_changelist"),
        )
    else:
        message = gettext(
            "The statutory holiday calendar has no data for %(years)s: deadlines there count "
            "Monday to Friday only. Enter that year's holidays and make-up working days here."
        ) % {"years": years}
    messages.warning(request, message)


admin.site.site_header = _("Social governance center administration")
admin.site.site_title = _("Social governance center administration")
admin.site.index_title = _("Administration")


@admin.register(Region)
class RegionAdmin(ImportExportMixin, TreeAdmin):
    form = movenodeform_factory(Region)
    resource_classes = [RegionResource]
    list_display = ["name", "code", "level"]
    search_fields = ["name", "code"]
    list_filter = ["level"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "station_mode", "is_active"]
    list_filter = ["kind", "station_mode", "is_active"]
    search_fields = ["name", "short_name", "region__name"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["categories"]


@admin.register(User)
class StaffAdmin(ImportExportMixin, UserAdmin):
    resource_classes = [StaffResource]
    list_display = ["username", "last_name", "first_name", "organisation", "role", "phone", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "organisation__kind"]
    search_fields = ["username", "last_name", "first_name", "phone", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = UserAdmin.fieldsets + ((_("Center"), {"fields": ("organisation", "role", "phone")}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Center"), {"fields": ("organisation", "role", "phone")}),)

    def save_related(self, request, form, formsets, change):
        # The form's group list is saved after the user and would undo the role's
        # group (User.save): put the role's group back; other groups stay as chosen.
        super().save_related(request, form, formsets, change)
        sync_user_role_group(form.instance)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        warn_uncovered_years(request)
        return super().changelist_view(request, extra_context)


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


@admin.register(TierRule)
class TierRuleAdmin(RuleHistoryAdmin):
    list_display = ["kind", "category", "tier", "limit", "unit", "remind_at_percent", "remind_before", "is_active"]
    list_filter = ["kind", "tier", "unit", "is_active"]
    autocomplete_fields = ["category"]
    history_fields = ["kind", "category", "tier", "limit", "unit", "remind_at_percent", "remind_before",
                      "is_active"]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            warn_uncovered_years(request, from_rules=True)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self.preview_view(request, object_id, form_url, extra_context)
        if request.method == "GET":
            warn_uncovered_years(request, from_rules=True)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, object_id, form_url="", extra_context=None):
        """The "Preview" button: check the submitted values and show what they would
        do to the open matters (governance.timers.preview), saving nothing.

        The page is then drawn by the admin's own GET path with the form bound to the
        submitted values (see get_form), so the values stay and field errors show;
        a form with errors previews nothing.
        """
        obj = None
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        form_class = self.get_form(request, obj, change=obj is not None,
                                   fields=flatten_fieldsets(self.get_fieldsets(request, obj)))
        form = form_class(request.POST, instance=obj)
        preview = preview_rule(form.instance) if form.is_valid() else None
        warn_uncovered_years(request, from_rules=True)
        shown = copy.copy(request)
        shown.method = "GET"
        shown.rule_preview_data = request.POST
        extra_context = {**(extra_context or {}), "rule_preview": preview, "preview_days": PREVIEW_DAYS}
        return super().changeform_view(shown, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        data = getattr(request, "rule_preview_data", None)
        if data is None:
            return form_class

        class PreviewForm(form_class):
            """Bound to the previewed values even where the admin builds an unbound form."""

            def __init__(self, *args, **kwargs):
                super().__init__(data, *args, **kwargs)

        return PreviewForm


@admin.register(SignalRule)
class SignalRuleAdmin(RuleHistoryAdmin):
    list_display = ["signal", "threshold", "to_tier", "is_active"]
    list_editable = ["threshold", "to_tier", "is_active"]
    history_fields = ["signal", "threshold", "to_tier", "is_active"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    fields = ["role", "name", "masked_phone"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("phone"))
    def masked_phone(self, party):
        return mask_phone(party.phone)  # as on the pages and the API

    def has_add_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["at", "type", "actor", "from_status", "to_status", "from_holder", "to_holder", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "category", "status", "tier", "holder", "region", "deadline", "created_at"]
    list_filter = ["status", "kind", "tier", "channel", "category"]
    search_fields = ["number"]
    list_select_related = ["category", "holder", "region"]
    date_hierarchy = "created_at"
    # Read-only here: changes go through the services, which write the timeline.
    readonly_fields = fields = [
        "number", "kind", "channel", "category", "region", "address", "narrative", "holder", "tier",
        "status", "deadline", "visit_count", "registered_by", "created_at", "updated_at", "resolved_at",
        "closed_at",
    ]
    inlines = [PartyInline, CaseEventInline]
    show_full_result_count = False

    def get_queryset(self, request):
        # The one scope rule: a case outside it is "not found" here too.
        return Case.objects.restrict(request.user, VIEW)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A plain 404, as on the pages and the API, instead of the admin's
        # "doesn't exist" redirect.
        raise Http404

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record to read: changes go through the services (pages, API)
