"""The access log in the admin: list, search, export; and a person's request (PIPL art. 45)."""
from io import BytesIO

from django import forms
from django.core.exceptions import PermissionDenied
from django.contrib import admin
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openpyxl import Workbook
from openpyxl.styles import Font

from governance.privacy.excel import safe_cell, workbook_bytes
from governance.privacy.models import AccessLogEntry, PersonalField
from governance.privacy.selectors import personal_data_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELD_LABELS = dict(PersonalField.choices)


def _fields_label(entry):
    return "、".join(str(FIELD_LABELS.get(field, field)) for field in entry.fields)


def _entry_row(entry):
    return [timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"), entry.user.get_username(), str(entry.user),
            entry.get_action_display(), entry.case.number, _fields_label(entry),
            ", ".join(str(pk) for pk in entry.parties), entry.purpose,
            f"{entry.object_type} {entry.object_id}" if entry.object_type else "", entry.address or ""]


ENTRY_HEADERS = [gettext_lazy("at"), gettext_lazy("username"), gettext_lazy("by"), gettext_lazy("action"),
                 gettext_lazy("matter"), gettext_lazy("fields"), gettext_lazy("parties"), gettext_lazy("purpose"),
                 gettext_lazy("record"), gettext_lazy("address")]


class PersonForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24, required=False)
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=24, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("id_number") or data.get("phone")):
            raise forms.ValidationError(_("Give the person's ID number or phone."))
        return data


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the table refuses changes anyway (a database trigger)."""

    list_display = ["at", "user", "action", "case", "fields_label", "purpose", "address"]
    list_filter = ["action", "at"]
    search_fields = ["case__number", "user__username", "user__last_name", "purpose"]
    date_hierarchy = "at"
    list_select_related = ["user", "case"]
    readonly_fields = [field.name for field in AccessLogEntry._meta.fields]
    change_list_template = "admin/governance/accesslogentry/change_list.html"
    show_full_result_count = False

    @admin.display(description=gettext_lazy("fields"))
    def fields_label(self, entry):
        return _fields_label(entry)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="governance_accesslogentry_export"),
            path("person/", self.admin_site.admin_view(self.person_view), name="governance_accesslogentry_person"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The list as filtered and searched, to Excel."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        entries = changelist.get_queryset(request).select_related("user", "case")
        content = workbook_bytes(_("access log"), ENTRY_HEADERS, (_entry_row(entry) for entry in entries.iterator()))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.localdate():%Y%m%d}.xlsx"'
        return response

    def person_view(self, request):
        """A person asks what is held about them and who saw it (PIPL art. 45): their
        parties' rows and every sight of their numbers, on the page or in Excel."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PersonForm(request.GET or None)
        report = personal_data_report(**form.cleaned_data) if form.is_valid() else None
        if report is not None and request.GET.get("format") == "xlsx":
            return self._person_workbook(report)
        context = {**self.admin_site.each_context(request), "title": _("A person's request (PIPL art. 45)"),
                   "form": form, "report": report, "opts": self.opts,
                   "export_query": request.GET.urlencode()}
        return TemplateResponse(request, "admin/governance/accesslogentry/person.html", context)

    def _person_workbook(self, report):
        book = Workbook()
        held = book.active
        held.title = str(_("What is held"))[:31]
        held.append([str(h) for h in (_("matter"), _("registered"), _("role"), _("name"), _("ID number"),
                                      _("phone"), _("address"), _("category"), _("holder"), _("status"))])
        for party in report.parties:
            case = party.case
            held.append([safe_cell(v) for v in (
                case.number, timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
                party.get_role_display(), party.name, party.id_number, party.phone, party.address,
                case.category.name, case.holder.name, case.get_status_display())])
        seen = book.create_sheet(str(_("Who saw it"))[:31])
        seen.append([str(h) for h in ENTRY_HEADERS])
        for entry in report.entries:
            seen.append([safe_cell(v) for v in _entry_row(entry)])
        for sheet in (held, seen):
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        buffer = BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="personal-data-{timezone.localdate():%Y%m%d}.xlsx"'
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "export_url": reverse("admin:governance_accesslogentry_export"),
                         "person_url": reverse("admin:governance_accesslogentry_person")}
        return super().changelist_view(request, extra_context)

