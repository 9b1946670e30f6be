"""What intake adds to the core: the desk in the menu, the triage and receipt
buttons, the attachments and the similar matters on a matter's page, and
registration and triage on the case API."""
from django.utils.translation import gettext_lazy as _

from governance import extensions
from governance.choices import Channel, Role
from governance.models import Case
from governance.people import roles

# Intake's rows of the role table: keeping the routing (category routes), the
# windows and the Open311 API keys is an administrator's work, like the core's rules.
ROLE_PERMISSIONS = {
    Role.ADMIN: [f"intake.{verb}_{model}" for model in ("categoryroute", "window", "apikey")
                 for verb in ("add", "change", "delete", "view")]
    # Triage: the admin trains the county's model, rolls it back, sets how much
    # history is enough, and reads how often suggestions were accepted.
    + ["intake.add_triagemodel", "intake.change_triagemodel", "intake.view_triagemodel",
       "intake.change_triagesettings", "intake.view_triagesettings", "intake.view_suggestion"],
}


def _actions(request, case):
    # The triage button: a registered matter the person may triage (their role, and their organisation holds it).
    # Not for grid reports: the grid app's loop registers and dispatches those.
    can_triage = case.status == "registered" and case.channel != Channel.GRID_REPORT and Case.objects.restrict(
        request.user, roles.TRIAGE).filter(pk=case.pk).exists()
    return {"can_triage": can_triage}


def _attachments(request, case):
    attachments = list(case.attachments.all())
    return {"attachments": attachments} if attachments else None


def _similar(request, case):
    from intake.triage.views import case_panel

    return case_panel(request, case)


def register():
    from intake.api.cases import IntakeActions

    roles.register_role_permissions(ROLE_PERMISSIONS)
    extensions.register_nav_item(extensions.NavItem(_("Registration"), "intake-desk", roles.REGISTER.permission, 10))
    extensions.register_case_panel(extensions.CasePanel(
        "intake-actions", "intake/_case_actions.html", _actions, extensions.HEADER_ACTIONS, 10))
    extensions.register_case_panel(extensions.CasePanel(
        "intake-attachments", "intake/_case_attachments.html", _attachments, extensions.MAIN, 10))
    # Matters from any door that look like the same dispute (intake/triage/similar.py).
    extensions.register_case_panel(extensions.CasePanel(
        "intake-similar", "intake/triage/_similar.html", _similar, extensions.SIDE, 20))
    extensions.register_case_api(IntakeActions)
