"""Admin for what admins keep: the statutory periods and the notices' wording
(every version kept), the petition offices, reception schedules and days, the
duty rota. Petitions and their notices are read-only here: they change only
through the steps."""
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from governance.history_admin import RuleHistoryAdmin
from petitions.documents import PLACEHOLDERS
from petitions.models import (
    Appointment, DocumentTemplate, DutyShift, Petition, PetitionDocument, PetitionOffice, ReceptionDay,
    ReceptionRecord, ReceptionSchedule, StatutoryPeriod,
)


@admin.register(StatutoryPeriod)
class StatutoryPeriodAdmin(RuleHistoryAdmin):
    list_display = ["period", "limit", "unit", "remind_before"]
    fields = ["period", "limit", "unit", "remind_before"]
    history_fields = ["period", "limit", "unit", "remind_before"]

    def get_readonly_fields(self, request, obj=None):
        return ["period"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # a period the law sets cannot go; its default would come back anyway


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(RuleHistoryAdmin):
    list_display = ["kind", "title", "updated_at"]
    fields = ["kind", "title", "body", "placeholders"]
    readonly_fields = ["placeholders"]
    history_fields = ["kind", "title", "body"]

    @admin.display(description=_("placeholders"))
    def placeholders(self, obj=None):
        return format_html_join("", "<div><code>{{{}}}</code> {}</div>",
                                ((name, str(text)) for name, text in PLACEHOLDERS.items()))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PetitionOffice)
class PetitionOfficeAdmin(admin.ModelAdmin):
    list_display = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(ReceptionSchedule)
class ReceptionScheduleAdmin(admin.ModelAdmin):
    list_display = ["leader", "day_of_month", "starts", "ends", "slot_minutes", "place", "next_working_day",
                    "is_active"]
    list_filter = ["is_active"]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ["date", "leader", "starts", "ends", "place"]
    date_hierarchy = "date"


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["date", "duty", "person", "note"]
    list_filter = ["duty"]
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ["case", "step", "received_on", "group_size", "link", "overdue_since"]
    list_filter = ["step", "link"]
    date_hierarchy = "received_on"
    list_select_related = ["case"]


@admin.register(PetitionDocument)
class PetitionDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "version", "issued_on", "served_on", "service"]
    list_filter = ["kind", "service"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "leader", "period", "status"]
    list_filter = ["status"]


@admin.register(ReceptionRecord)
class ReceptionRecordAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "leader", "attendees"]
