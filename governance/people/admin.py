from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from governance.audit_admin import AuditHistoryMixin
from governance.people.models import User
from governance.people.roles import sync_user_role_group
from governance.resources import StaffResource


@admin.register(User)
class StaffAdmin(AuditHistoryMixin, ImportExportMixin, UserAdmin):
    resource_classes = [StaffResource]
    list_display = ["username", "last_name", "first_name", "organisation", "role", "phone", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "organisation__kind"]
    search_fields = ["username", "last_name", "first_name", "phone", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = UserAdmin.fieldsets + ((_("Center"), {"fields": ("organisation", "role", "phone")}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Center"), {"fields": ("organisation", "role", "phone")}),)
    actions = ["disable_and_sign_out"]

    @admin.action(description=_("Disable (left the center): sign out everywhere and revoke API tokens"))
    def disable_and_sign_out(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True).exclude(pk=request.user.pk):
            user.is_active = False
            user.save(update_fields=["is_active"])  # User.save ends the sessions and tokens
            count += 1
        messages.success(request, gettext("%(count)s accounts disabled; their sessions and API tokens ended.")
                         % {"count": count})

    def save_related(self, request, form, formsets, change):
        # The form's group list is saved after the user and would undo the role's
        # group (User.save): put the role's group back; other groups stay as chosen.
        super().save_related(request, form, formsets, change)
        sync_user_role_group(form.instance)
