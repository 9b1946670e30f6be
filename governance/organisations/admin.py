from django.contrib import admin

from governance.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "station_mode", "is_active"]
    list_filter = ["kind", "station_mode", "is_active"]
    search_fields = ["name", "short_name", "region__name"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["categories"]
