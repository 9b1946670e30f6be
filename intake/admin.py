"""Intake's settings in the admin. Attachments are not listed here: they are read on
the matter's page, through the scope rule, never as a county-wide list."""
from django.contrib import admin

from governance.audit_admin import AuditHistoryMixin

from intake.models import ApiKey, CategoryRoute, Window


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["center", "number", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["clerks"]
    autocomplete_fields = ["center"]


@admin.register(CategoryRoute)
class CategoryRouteAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["category", "organisation"]
    autocomplete_fields = ["category", "organisation"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "is_active", "created_at"]
    list_filter = ["is_active"]



# Triage's models, versions and suggestions (intake/triage/admin.py).
from intake.triage import admin as triage_admin  # noqa: E402,F401
