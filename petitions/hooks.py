"""What the petitions app adds to the core: its rows of the role table, the menu
link, the panel on a petition's matter page, and the clock handlers of the
statutory periods."""
from django.utils.translation import gettext_lazy as _

from governance import extensions
from governance.choices import CaseKind, Role
from governance.people import roles

# Clerks of the petition office register, forward and book receptions; the bodies'
# handlers decide (accept, reply...); leaders decide too, approve extensions, own
# hard petitions (包案) and receive petitioners; admins keep the periods, the
# notices' wording, the petition offices and the reception schedules.
CONFIG_MODELS = ("statutoryperiod", "documenttemplate", "petitionoffice", "receptionschedule", "receptionday",
                 "dutyshift")
ROLE_PERMISSIONS = {
    Role.CLERK: ["petitions.register_petition", "petitions.forward_petition", "petitions.handle_petition",
                 "petitions.book_reception"],
    Role.HANDLER: ["petitions.handle_petition"],
    Role.LEADER: ["petitions.handle_petition", "petitions.approve_extension", "petitions.own_petition",
                  "petitions.book_reception"],
    Role.ADMIN: ["petitions.register_petition", "petitions.forward_petition", "petitions.handle_petition",
                 "petitions.approve_extension", "petitions.own_petition", "petitions.book_reception",
                 *[f"petitions.{verb}_{model}" for model in CONFIG_MODELS for verb in ("add", "change", "view",
                                                                                         "delete")]],
}


def _panel(request, case):
    """The petition's step and deadlines beside the matter (or, for a petition
    registered at the general desk, the form to open its statutory record)."""
    from petitions import clocks
    from petitions.models import Petition

    if case.kind != CaseKind.PETITION:
        return None
    petition = Petition.objects.filter(case=case).first()
    if petition is None:
        if not request.user.has_perm("petitions.register_petition"):
            return None
        return {"petition": None}
    return {"petition": petition, "deadlines": clocks.labelled_deadlines(case)}


def register():
    from petitions import clocks

    from governance.dashboards.measures import register_series
    from petitions import measures

    roles.register_role_permissions(ROLE_PERMISSIONS)
    for case_filter in measures.FILTERS:
        extensions.register_case_filter(case_filter)
    for series in measures.SERIES:
        register_series(series)
    extensions.register_nav_item(extensions.NavItem(_("Petitions"), "petitions-home",
                                                    "petitions.handle_petition", 20))
    extensions.register_case_panel(extensions.CasePanel(
        "petitions-steps", "petitions/_case_panel.html", _panel, extensions.SIDE, 5))
    clocks.register_handlers()
