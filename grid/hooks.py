"""What the grid app adds to the core: its rows of the role table, the menu link,
the grid event's panel on the matter page, and the clocks of the loop's steps."""
from django.utils.translation import gettext_lazy as _

from governance import extensions
from governance.choices import Role
from governance.people import roles


def _event(*actions):
    return [f"grid.{action}_gridevent" for action in actions]


def _model(*models, verbs=("add", "change", "delete", "view")):
    return [f"grid.{verb}_{model}" for model in models for verb in verbs]


# The grid app's rows of the role table (README: roles):
# - grid workers report, verify their own reports on the spot, keep patrol logs,
#   see their rewards, and help handle (协处) what their center dispatches to them;
# - handlers (stationed departments) and mediators handle what is dispatched to them;
# - clerks of a center register, dispatch, verify, close, evaluate and reward the
#   events their center holds, urge them, and see the grid views;
# - leaders do the same and supervise (督办);
# - administrators keep the admission list, the reward rates, the grids' workers,
#   households and building heads, and see the coverage gaps.
ROLE_PERMISSIONS = {
    Role.GRID_WORKER: [*_event("view", "report", "verify", "handle"), "grid.add_patrol", "grid.view_patrol",
                       "grid.view_reward"],
    Role.HANDLER: _event("view", "handle"),
    Role.MEDIATOR: _event("view", "handle"),
    Role.CLERK: [*_event("view", "command", "handle", "urge", "oversee"), "grid.view_patrol", "grid.add_reward",
                 "grid.view_reward"],
    Role.LEADER: [*_event("view", "command", "urge", "supervise", "oversee"), "grid.view_patrol",
                  "grid.add_reward", "grid.view_reward"],
    Role.ADMIN: [*_event("view", "report", "command", "handle", "verify", "urge", "supervise", "oversee"),
                 *_model("eventtype", "rewardrate", "gridassignment", "gridprofile", "buildinghead"),
                 *_model("gridevent", "patrol", "reward", "gridphoto", "jointpart", "urge", verbs=("view",)),
                 "grid.add_patrol", "grid.add_reward"],
}


def _event_of(case):
    from grid.models import GridEvent

    if case.channel != "grid_report":
        return None
    return GridEvent.objects.filter(pk=case.pk).select_related("event_type", "reporter", "handling_org",
                                                                "assignee").first()


def _panel(request, case):
    event = _event_of(case)
    if event is None:
        return None
    return {"event": event, "photos": list(event.photos.all()), "parts": list(event.joint_parts.all())}


def _button(request, case):
    return {"event_id": case.pk} if case.channel == "grid_report" else None


def register():
    from grid import clocks

    from governance.dashboards.measures import register_series
    from grid import measures

    roles.register_role_permissions(ROLE_PERMISSIONS)
    for case_filter in measures.FILTERS:
        extensions.register_case_filter(case_filter)
    for series in measures.SERIES:
        register_series(series)
    extensions.register_nav_item(extensions.NavItem(_("Grid"), "grid-home", "grid.view_gridevent", 30))
    extensions.register_case_panel(extensions.CasePanel(
        "grid-event-button", "grid/_case_button.html", _button, extensions.HEADER_ACTIONS, 20))
    extensions.register_case_panel(extensions.CasePanel(
        "grid-event", "grid/_case_panel.html", _panel, extensions.MAIN, 5))
    for handler in clocks.HANDLERS:
        extensions.register_clock_handler(handler)
