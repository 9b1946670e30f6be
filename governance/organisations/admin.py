from django.contrib import admin

from governance.organisations.models import Organisation
from governance.audit_admin import AuditHistoryMixin


@admin.register(Organisation)
class OrganisationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "region", "station_mode", "is_active"]
    list_filter = ["kind", "station_mode", "is_active"]
    search_fields = ["name", "short_name", "region__name"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["categories"]
