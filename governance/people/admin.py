from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from governance.people.models import User
from governance.people.roles import sync_user_role_group
from governance.resources import StaffResource


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
