"""The mediation app's reference data in the admin (profiles and rooms importable),
the time limits and rates admins set, and the access log, read-only."""
from django.contrib import admin
from import_export.admin import ImportExportMixin

from mediation.models import AgreementTemplate, MediationRules, MediatorProfile, Room, SubsidyRate
from mediation.resources import MediatorProfileResource, RoomResource


@admin.register(MediatorProfile)
class MediatorProfileAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [MediatorProfileResource]
    list_display = ["user", "body", "kind", "monthly_quota", "is_active"]
    list_filter = ["kind", "is_active", "body__kind"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "body__name"]
    autocomplete_fields = ["user", "body"]
    filter_horizontal = ["specialties"]


@admin.register(Room)
class RoomAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [RoomResource]
    list_display = ["name", "center", "capacity", "location", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "center__name"]
    autocomplete_fields = ["center"]


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "is_default", "is_active"]
    list_filter = ["is_default", "is_active"]


@admin.register(SubsidyRate)
class SubsidyRateAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "base_amount", "per_case_amount", "note"]


@admin.register(MediationRules)
class MediationRulesAdmin(admin.ModelAdmin):
    """One row: the admin edits it, never adds a second or deletes it."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not MediationRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
