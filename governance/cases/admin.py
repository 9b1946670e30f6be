"""Matters in the admin: read-only, through the same scope rule as everywhere else;
they are registered and changed through the pages and services, not edited raw."""
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from governance.cases.masking import mask_id_number, mask_phone
from governance.cases.models import Case, CaseEvent, Category, Party
from governance.cases.querysets import VIEW
from governance.audit_admin import AuditHistoryMixin


@admin.register(Category)
class CategoryAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    fields = ["role", "name", "masked_id_number", "masked_phone"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("ID number"))
    def masked_id_number(self, party):
        return mask_id_number(party.id_number)  # revealed only on the matter's page, with a purpose

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
class CaseAdmin(AuditHistoryMixin, admin.ModelAdmin):
    audit_method = "references"  # the matter's own changes and its parties'
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
