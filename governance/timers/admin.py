"""Admin for time limits: the tier rules (with history and a what-if preview
before saving), official holiday schedules and single-date overrides."""
import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.history_admin import RuleHistoryAdmin
from governance.timers import calendar, calendar_schedule
from governance.timers.models import HolidaySchedule, TierRule, WorkdayOverride
from governance.timers.preview import PREVIEW_DAYS, preview_rule, retime_open_clocks


def warn_provisional_years(request):
    """Deadlines in a year without an official schedule are counted from the
    ``holidays`` package's rules and marked provisional: say so where it matters."""
    this_year = timezone.localdate().year
    missing = calendar.provisional_years([this_year, this_year + 1])
    if missing:
        messages.warning(request, format_html(
            gettext(
                "No official holiday schedule is loaded for {years}: deadlines there are counted with China's "
                "public holidays by rule, without make-up working days, and shown as provisional. Load the "
                'State Council\'s schedule under <a href="{url}">official holiday schedules</a> when it is published.'
            ),
            years=", ".join(map(str, missing)), url=reverse("admin:governance_holidayschedule_changelist"),
        ))


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        warn_provisional_years(request)
        return super().changelist_view(request, extra_context)


class TierRuleForm(forms.ModelForm):
    retime_open = forms.BooleanField(
        label=_("Re-time open matters at this tier"), required=False,
        help_text=_("Count the deadline of every open matter this rule governs again from when it reached the "
                    "tier, with these values. Left unticked, only matters that reach the tier after saving get "
                    "them."),
    )

    class Meta:
        model = TierRule
        fields = "__all__"


@admin.register(TierRule)
class TierRuleAdmin(RuleHistoryAdmin):
    form = TierRuleForm
    list_display = ["kind", "category", "tier", "limit", "unit", "remind_at_percent", "remind_before", "is_active"]
    list_filter = ["kind", "tier", "unit", "is_active"]
    autocomplete_fields = ["category"]
    history_fields = ["kind", "category", "tier", "limit", "unit", "remind_at_percent", "remind_before",
                      "is_active"]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            warn_provisional_years(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self.preview_view(request, object_id, form_url, extra_context)
        if request.method == "GET":
            warn_provisional_years(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, object_id, form_url="", extra_context=None):
        """The "Preview" button: check the submitted values and show what they would
        do to the open matters (governance.timers.preview), saving nothing.

        The page is then drawn by the admin's own GET path with the form bound to the
        submitted values (see get_form), so the values stay and field errors show;
        a form with errors previews nothing.
        """
        obj = None
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        form_class = self.get_form(request, obj, change=obj is not None,
                                   fields=flatten_fieldsets(self.get_fieldsets(request, obj)))
        form = form_class(request.POST, instance=obj)
        preview = preview_rule(form.instance, retime=form.cleaned_data["retime_open"]) if form.is_valid() else None
        warn_provisional_years(request)
        shown = copy.copy(request)
        shown.method = "GET"
        shown.rule_preview_data = request.POST
        extra_context = {**(extra_context or {}), "rule_preview": preview, "preview_days": PREVIEW_DAYS}
        return super().changeform_view(shown, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("retime_open"):
            count = retime_open_clocks(obj)
            messages.info(request, gettext("%(count)s open matters were re-timed with the new values.")
                          % {"count": count})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        data = getattr(request, "rule_preview_data", None)
        if data is None:
            return form_class

        class PreviewForm(form_class):
            """Bound to the previewed values even where the admin builds an unbound form."""

            def __init__(self, *args, **kwargs):
                super().__init__(data, *args, **kwargs)

        return PreviewForm


class HolidayScheduleForm(forms.ModelForm):
    """A year's official schedule, pasted (or uploaded as a text file): one date per
    line, marked 休 (holiday) or 班 (make-up working day), e.g. ``2027-02-06 休``."""

    dates = forms.CharField(
        label=_("Dates"), required=False, widget=forms.Textarea(attrs={"rows": 16, "cols": 40}),
        help_text=_("One date per line with 休 (holiday) or 班 (make-up working day), e.g. “2027-10-01 休” or "
                    "“2027-09-26 班”. Every date not listed counts by its weekday."),
    )
    upload = forms.FileField(label=_("Or a text file with the same lines"), required=False)

    class Meta:
        model = HolidaySchedule
        fields = ["year", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["dates"] = "\n".join(
                f"{day.date:%Y-%m-%d} {'班' if day.is_working_day else '休'}" for day in self.instance.days.all()
            )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        text = cleaned.get("dates") or ""
        if upload:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError({"upload": _("The file is not UTF-8 text.")}) from None
        year = cleaned.get("year")
        if year is not None:
            try:
                cleaned["parsed"] = calendar_schedule.parse_schedule(text, year)
            except calendar_schedule.ScheduleError as error:
                raise forms.ValidationError({"upload" if upload else "dates": str(error)}) from None
        return cleaned


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(admin.ModelAdmin):
    form = HolidayScheduleForm
    list_display = ["year", "source", "loaded_at"]
    fields = ["year", "source", "dates", "upload"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        retimed = calendar_schedule.load_schedule(obj, form.cleaned_data["parsed"])
        messages.info(request, gettext(
            "%(year)s is counted with this schedule from now on; %(count)s running deadlines were re-counted."
        ) % {"year": obj.year, "count": retimed})

    def changelist_view(self, request, extra_context=None):
        warn_provisional_years(request)
        return super().changelist_view(request, extra_context)
