"""Triage in the admin: each county's model versions (train now, with progress;
put an earlier version back in use), how much history is enough, and how often
suggestions were accepted per category."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import Region
from intake.triage import training
from intake.triage.models import RUNNING_STATUSES, Outcome, Suggestion, TriageModel, TriageSettings
from intake.triage.tasks import train_triage_model


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    change_list_template = "admin/intake/triagemodel/change_list.html"
    list_display = ["__str__", "status", "is_active", "progress_shown", "trained_at", "matters", "categories",
                    "top1", "top3", "seconds_shown", "algorithm", "trigger", "requested_by"]
    list_filter = ["status", "is_active", "county"]
    readonly_fields = [f.name for f in TriageModel._meta.fields if f.name != "blob"]
    exclude = ["blob"]
    actions = ["put_in_use"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("blob").select_related("county", "requested_by")

    def has_add_permission(self, request):
        return False  # a version comes from a training ("Train now"), never from a form

    def has_delete_permission(self, request, obj=None):
        return False  # every version is kept

    @admin.display(description=gettext_lazy("progress"))
    def progress_shown(self, obj):
        from django.utils.html import format_html

        if obj.status in RUNNING_STATUSES:
            return format_html('<span data-training="{}">{}%</span>', obj.pk, obj.progress)
        return "—"

    @admin.display(description=gettext_lazy("held-out accuracy"), ordering="heldout_top1")
    def top1(self, obj):
        return "—" if obj.heldout_top1 is None else f"{obj.heldout_top1:.1%}"

    @admin.display(description=gettext_lazy("held-out top-3 accuracy"), ordering="heldout_top3")
    def top3(self, obj):
        return "—" if obj.heldout_top3 is None else f"{obj.heldout_top3:.1%}"

    @admin.display(description=gettext_lazy("training time (s)"), ordering="seconds")
    def seconds_shown(self, obj):
        return "—" if obj.seconds is None else f"{obj.seconds:.1f}"

    @admin.action(description=gettext_lazy("Put the chosen version in use (roll back or forward)"),
                  permissions=["change"])
    def put_in_use(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True)[:2])
        if len(chosen) != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return
        try:
            model = training.activate(model_id=chosen[0])
        except training.ActivationRefused as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, _("%(model)s is in use now.") % {"model": model}, messages.SUCCESS)

    def get_urls(self):
        return [
            path("train/", self.admin_site.admin_view(self.train_view), name="intake_triagemodel_train"),
            path("progress/", self.admin_site.admin_view(self.progress_view), name="intake_triagemodel_progress"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        counties = Region.objects.filter(depth=1).order_by("path")
        if not request.user.is_superuser and request.user.organisation_id:
            counties = counties.filter(path=request.user.organisation.region.county_path)
        extra_context = {**(extra_context or {}), "counties": counties,
                         "may_train": request.user.has_perm("intake.add_triagemodel")}
        return super().changelist_view(request, extra_context)

    def train_view(self, request):
        """Train now: queue a training of the county's model on the training queue."""
        if request.method != "POST":
            return redirect("admin:intake_triagemodel_changelist")
        if not request.user.has_perm("intake.add_triagemodel"):
            raise PermissionDenied
        county = Region.objects.filter(pk=request.POST.get("county") or 0, depth=1).first()
        if county is None:
            self.message_user(request, _("Choose the county."), messages.ERROR)
            return redirect("admin:intake_triagemodel_changelist")
        try:
            with transaction.atomic():
                model = training.request_training(county=county, trigger="admin", user=request.user)
                transaction.on_commit(lambda: train_triage_model.delay(model.pk))
        except training.TrainingRefused as error:
            self.message_user(request, str(error), messages.WARNING)
        else:
            self.message_user(request, _("%(model)s is queued for training; its progress shows below.")
                              % {"model": model}, messages.SUCCESS)
        return redirect("admin:intake_triagemodel_changelist")

    def progress_view(self, request):
        """The trainings queued or running, for the list page's progress (polled)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = TriageModel.objects.filter(status__in=RUNNING_STATUSES).values("pk", "progress", "status")
        return JsonResponse({"running": [{"id": r["pk"], "progress": r["progress"], "status": r["status"]}
                                         for r in rows]})


@admin.register(TriageSettings)
class TriageSettingsAdmin(admin.ModelAdmin):
    list_display = ["county", "min_matters", "min_per_category", "max_matters", "nightly"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Every suggestion offered and what was chosen; the list page opens with the
    acceptance rate per suggested category."""

    change_list_template = "admin/intake/suggestion/change_list.html"
    list_display = ["offered_at", "door", "suggested", "chosen", "outcome", "clicked", "user", "case"]
    list_filter = ["door", "outcome", "clicked", "suggested"]
    list_select_related = ["suggested", "chosen", "user", "case"]
    readonly_fields = [f.name for f in Suggestion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        rows = (Suggestion.objects.exclude(outcome="").values("suggested__name")
                .annotate(total=Count("id"), accepted=Count("id", filter=Q(outcome=Outcome.ACCEPTED)),
                          alternative=Count("id", filter=Q(outcome=Outcome.ALTERNATIVE)),
                          overridden=Count("id", filter=Q(outcome=Outcome.OVERRIDDEN)))
                .order_by("-total"))
        acceptance = [{**row, "rate": row["accepted"] / row["total"]} for row in rows]
        return super().changelist_view(request, {**(extra_context or {}), "acceptance": acceptance})
