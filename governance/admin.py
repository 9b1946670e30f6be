"""The Django admin, in Chinese: regions, organisations, staff, categories, matters.

Matters are read here through the same scope rule as everywhere else; they are
registered and changed through the intake pages and services, not edited raw.
"""
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from governance import workdays
from governance.models import Case, CaseEvent, Category, Organisation, Party, Region, SignalRule, TierRule, User, WorkdayOverride
from governance.querysets import CHANGE, VIEW
from governance.resources import RegionResource, StaffResource


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


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        missing = workdays.uncovered_years([this_year, this_year + 1])
        if missing:
            messages.warning(
                request,
                _(
                    "The statutory holiday calendar has no data for %(years)s: deadlines there count "
                    "Monday to Friday only. Enter that year's holidays and make-up working days here."
                ) % {"years": ", ".join(map(str, missing))},
            )
        return super().changelist_view(request, extra_context)


@admin.register(TierRule)
class TierRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "category", "tier", "limit", "unit", "remind_at_percent", "is_active"]
    list_filter = ["kind", "tier", "unit", "is_active"]
    autocomplete_fields = ["category"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    fields = ["role", "name", "phone"]
    readonly_fields = fields
    can_delete = False

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
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or Case.objects.restrict(request.user, CHANGE).filter(pk=obj.pk).exists()


@admin.register(SignalRule)
class SignalRuleAdmin(admin.ModelAdmin):
    list_display = ["signal", "threshold", "to_tier", "is_active"]
    list_editable = ["threshold", "to_tier", "is_active"]
