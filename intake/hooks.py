"""What intake adds to the core: the desk in the menu, the triage and receipt
buttons and the attachments on a matter's page, and registration and triage on
the case API."""
from django.utils.translation import gettext_lazy as _

from governance import extensions


def _actions(request, case):
    return {}


def _attachments(request, case):
    attachments = list(case.attachments.all())
    return {"attachments": attachments} if attachments else None


def register():
    from intake.api.cases import IntakeActions

    extensions.register_nav_item(extensions.NavItem(_("Registration"), "intake-desk", "governance.add_case", 10))
    extensions.register_case_panel(extensions.CasePanel(
        "intake-actions", "intake/_case_actions.html", _actions, extensions.HEADER_ACTIONS, 10))
    extensions.register_case_panel(extensions.CasePanel(
        "intake-attachments", "intake/_case_attachments.html", _attachments, extensions.MAIN, 10))
    extensions.register_case_api(IntakeActions)
