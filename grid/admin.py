"""The grid app in the admin: the admission list and the reward rates (each change
kept with who made it), grids' workers (a new assignment ends the last one, so
the rows are the history), households and building heads; events, patrols and
rewards to read."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from governance.cases.masking import mask_phone
from governance.history_admin import RuleHistoryAdmin
from grid.models import (
    BuildingHead, EventType, GridAssignment, GridEvent, GridProfile, JointPart, Patrol, Reward, RewardRate,
)
from grid.services.grids import grid_assign


@admin.register(EventType)
class EventTypeAdmin(RuleHistoryAdmin):
    list_display = ["name", "code", "category", "is_admitted", "becomes_dispute", "handle_limit", "handle_unit",
                    "step_limit", "step_unit", "sort_order"]
    list_filter = ["is_admitted", "becomes_dispute", "category"]
    list_editable = ["is_admitted"]
    search_fields = ["name", "code"]
    history_fields = ["code", "name", "category", "is_admitted", "becomes_dispute", "handle_limit", "handle_unit",
                      "step_limit", "step_unit", "remind_at_percent"]


@admin.register(RewardRate)
class RewardRateAdmin(RuleHistoryAdmin):
    list_display = ["name", "amount", "description", "is_active", "sort_order"]
    list_filter = ["is_active"]
    history_fields = ["name", "amount", "description", "is_active"]


@admin.register(GridAssignment)
class GridAssignmentAdmin(admin.ModelAdmin):
    """Adding an assignment makes that worker the grid's worker from now: the current
    one's spell ends (grid.services.grids). Spells are history: only the note changes."""

    list_display = ["grid", "worker", "started_at", "ended_at", "assigned_by", "note"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["grid__name", "grid__code", "worker__username", "worker__last_name"]
    autocomplete_fields = ["grid", "worker"]
    fields = ["grid", "worker", "note", "started_at", "ended_at", "assigned_by"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["started_at", "ended_at", "assigned_by"]
        return [*readonly, "grid", "worker"] if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["note"])
            return
        try:
            saved = grid_assign(grid=obj.grid, worker=obj.worker, actor=request.user, note=obj.note)
        except ValidationError as error:
            raise_in_admin(request, error)
            return
        obj.pk, obj.started_at = saved.pk, saved.started_at

    def has_delete_permission(self, request, obj=None):
        return False


def raise_in_admin(request, error):
    messages.error(request, " ".join(error.messages))


@admin.register(GridProfile)
class GridProfileAdmin(admin.ModelAdmin):
    list_display = ["region", "households", "note"]
    search_fields = ["region__name", "region__code"]
    autocomplete_fields = ["region"]


@admin.register(BuildingHead)
class BuildingHeadAdmin(admin.ModelAdmin):
    list_display = ["name", "micro_grid", "building", "masked_phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "micro_grid__name", "micro_grid__code"]
    autocomplete_fields = ["micro_grid"]

    @admin.display(description=BuildingHead._meta.get_field("phone").verbose_name)
    def masked_phone(self, head):
        return mask_phone(head.phone)  # residents' numbers are masked in lists, as everywhere


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the services only (the timeline must match): read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class JointPartInline(admin.TabularInline):
    model = JointPart
    extra = 0
    can_delete = False
    readonly_fields = ["organisation", "requested_at", "note", "done_at", "done_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GridEvent)
class GridEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "event_type", "grid", "status", "reporter", "handling_org", "reported_at",
                    "step_overdue_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["case__number"]
    list_select_related = ["case", "event_type", "grid", "reporter", "handling_org"]
    inlines = [JointPartInline]


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdmin):
    list_display = ["worker", "grid", "started_at", "ended_at", "route"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter)]
    date_hierarchy = "started_at"


@admin.register(Reward)
class RewardAdmin(ReadOnlyAdmin):
    list_display = ["worker", "event", "rate", "amount", "month", "awarded_by", "awarded_at"]
    list_filter = ["month"]


