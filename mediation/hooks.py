"""What mediation adds to the core: its rows of the role table, its clocks'
handlers, the desk in the menu, and a panel on the matter's page (the mediation
under way, or a button to open one)."""
from django.utils.translation import gettext_lazy as _

from governance import extensions
from governance.cases.querysets import CHANGE
from governance.choices import CaseKind
from governance.models import Case
from governance.people import roles
from mediation import clocks
from mediation.permissions import OPEN, ROLE_PERMISSIONS, VIEW


def may_open(user, case) -> bool:
    """The button's test; the service checks the same and says why not."""
    from mediation.models import Mediation

    if case.kind != CaseKind.DISPUTE or not case.is_open or not user.has_perm(OPEN.permission):
        return False
    if Mediation.objects.active().filter(case=case).exists():
        return False
    return user.has_perm(roles.SUPERVISE.permission) or Case.objects.restrict(user, CHANGE).filter(
        pk=case.pk).exists()


def _panel(request, case):
    from mediation.selectors import case_mediation, sessions_of

    mediation = case_mediation(case=case)
    can_open = may_open(request.user, case)
    if mediation is None and not can_open:
        return None
    upcoming = [s for s in sessions_of(mediation) if s.status == "scheduled"] if mediation else []
    return {"mediation": mediation, "can_open_mediation": can_open, "upcoming_sessions": upcoming}


def register():
    from governance.dashboards.measures import register_measure
    from mediation import measures

    roles.register_role_permissions(ROLE_PERMISSIONS)
    for case_filter in measures.FILTERS.values():
        extensions.register_case_filter(case_filter)
    for measure in measures.MEASURES:
        register_measure(measure)
    for handler in clocks.HANDLERS:
        extensions.register_clock_handler(handler)
    extensions.register_nav_item(extensions.NavItem(_("Mediation"), "mediation-desk", VIEW.permission, 20))
    extensions.register_case_panel(extensions.CasePanel(
        "mediation", "mediation/_case_panel.html", _panel, extensions.MAIN, 20))
