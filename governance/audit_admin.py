"""The audit log in the admin: every change to matters, parties and configuration
(django-pghistory's events, written by database triggers), searchable, with who
made it and from which page; ID numbers and phones masked as everywhere else."""
import json

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from pghistory.admin import EventsAdmin

from governance.cases.masking import mask_id_number, mask_phone

MASKS = {"id_number": mask_id_number, "phone": mask_phone}


def masked(data):
    """A copy of an event's data (or diff: field -> [before, after]) with personal numbers masked."""
    if not isinstance(data, dict):
        return data
    result = {}
    for key, value in data.items():
        mask = MASKS.get(key)
        if mask is None:
            result[key] = value
        elif isinstance(value, list):
            result[key] = [mask(v) if isinstance(v, str) else v for v in value]
        else:
            result[key] = mask(value) if isinstance(value, str) else value
    return result


def _json(data):
    return json.dumps(masked(data), ensure_ascii=False, indent=1, default=str)


class AuditLogAdmin(EventsAdmin):
    """PGHISTORY_ADMIN_CLASS: the one searchable log of changes (admin: 审计日志)."""

    search_fields = ["pgh_obj_model", "pgh_obj_id", "pgh_label"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["pgh_created_at", "pgh_obj_model", "pgh_obj_id", "pgh_label", "who", "url", "before_after",
              "snapshot"]
    readonly_fields = fields

    def get_list_display(self, request):
        return ["pgh_created_at", "pgh_obj_model", "pgh_obj_id", "pgh_label", "who", "changes"]

    @admin.display(description=_("by"))
    def who(self, event):
        return event.user or ""

    @admin.display(description=_("changes (before → after)"))
    def changes(self, event):
        diff = masked(event.pgh_diff) if event.pgh_diff else None
        if not diff:
            return "—"
        return "; ".join(f"{field}: {before} → {after}" for field, (before, after) in diff.items())

    @admin.display(description=_("changes (before → after)"))
    def before_after(self, event):
        return format_html("<pre>{}</pre>", _json(event.pgh_diff or {}))

    @admin.display(description=_("record after the change"))
    def snapshot(self, event):
        return format_html("<pre>{}</pre>", _json(event.pgh_data or {}))


class AuditHistoryMixin:
    """The admin's "History" button of a record opens the audit log at that record
    (``references``: a matter's history includes its parties')."""

    audit_method = "tracks"

    def history_view(self, request, object_id, extra_context=None):
        from django.shortcuts import redirect

        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        url = reverse("admin:governance_auditevent_changelist")
        return redirect(f"{url}?obj={self.opts.app_label}.{self.opts.model_name}:{obj.pk}&method={self.audit_method}")
