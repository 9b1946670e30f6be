"""The mediation app's actions as permissions, and its rows of the role table
(``governance.people.roles``): registered from ``MediationConfig.ready()``, put
in the role groups by the next ``migrate``."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from governance.choices import Role


@dataclass(frozen=True)
class Right:
    permission: str
    refusal: str


VIEW = Right("mediation.view_mediation", _("Your role does not see mediations."))
OPEN = Right("mediation.add_mediation", _("Your role does not open mediations."))
CONDUCT = Right("mediation.conduct_mediation", _("Only a mediator conducts a mediation."))
BOOK = Right("mediation.add_session", _("Your role does not book mediation sessions."))
FOLLOW_UP = Right("mediation.follow_up_mediation",
                  _("Your role does not follow up, reopen or close mediations."))
REPORT = Right("mediation.view_mediation_report", _("Only a center leader sees every mediator's report."))

_READ = ["mediation.view_mediation", "mediation.view_room", "mediation.view_mediatorprofile"]
_CENTER = [*_READ, OPEN.permission, BOOK.permission, FOLLOW_UP.permission]
# Admins keep the reference data (profiles, rooms, templates, rates, time limits)
# and read the access log, which nobody can change.
_KEPT = ("mediatorprofile", "room", "agreementtemplate", "subsidyrate", "mediationrules")
_ADMIN = [f"mediation.{verb}_{model}" for model in _KEPT for verb in ("add", "change", "delete", "view")]

ROLE_PERMISSIONS = {
    # Window clerks open mediations on what their center holds, book rooms and follow up.
    Role.CLERK: _CENTER,
    # Mediators also conduct them: accept, minutes, outcome, agreement.
    Role.MEDIATOR: [*_CENTER, CONDUCT.permission],
    # Leaders open and follow up like clerks, and see every mediator's monthly report.
    Role.LEADER: [*_CENTER, REPORT.permission],
    # Those who see matters see the mediation on a matter's page.
    Role.HANDLER: ["mediation.view_mediation"],
    Role.GRID_WORKER: ["mediation.view_mediation"],
    Role.ADMIN: [*_CENTER, CONDUCT.permission, REPORT.permission, *_ADMIN],
}
