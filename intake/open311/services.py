"""The one write of Open311: a submitted dispute, registered exactly as the other
doors register one (``intake_register``, dispatched at once by the routing rules)."""
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from governance.choices import CaseKind, EventType, PartyRole, RegionLevel
from governance.models import CaseEvent
from intake.models import Intake
from intake.services import intake_register

# The key, in the data of a staff-only note, of what the matter record has no field for.
DETAILS_KEY = "open311"
# Places a dispute can be submitted for: the county as a whole is not a place to send it to.


def _details_note(details) -> str:
    labels = {"email": _("email"), "lat": _("latitude"), "long": _("longitude"), "media_url": _("media link")}
    return _("Also given through Open311: %(details)s") % {
        "details": "; ".join(f"{labels[key]} {value}" for key, value in details.items())}


@transaction.atomic
def open311_submit(
    *, api_key, category, region, description="", name="", phone="", id_number="", address="",
    email="", lat=None, long=None, media_url="",
) -> Intake:
    """Register the dispute for the client holding ``api_key``; returns its intake
    (with the token). Email, coordinates and media link go into a staff-only note:
    the matter record has no field for them, and parties' contacts stay private.

    Every personal field is optional (a hotline forwards anonymous reports): with
    none of them the matter has no applicant and is marked anonymous; with a phone
    or an ID number but no name the applicant is recorded without a name."""
    anonymous = not (name or phone or id_number or email)
    parties = []
    if not anonymous:
        with translation.override(settings.LANGUAGE_CODE):  # stored: in the center's language
            name = name or _("(name not given)")
        parties.append({"role": PartyRole.APPLICANT, "name": name, "id_number": id_number, "phone": phone})
    case = intake_register(
        actor=None, channel=api_key.channel, kind=CaseKind.DISPUTE, category=category, region=region,
        narrative=description, address=address, parties=parties, anonymous=anonymous,
        dispatch=True, api_key=api_key, with_token=True,
    )
    given = {"email": email, "lat": lat, "long": long, "media_url": media_url}
    details = {key: value for key, value in given.items() if value not in (None, "")}
    if details:
        CaseEvent.objects.create(case=case, type=EventType.NOTE, note=_details_note(details), is_public=False,
                                 data={DETAILS_KEY: details})
    return Intake.objects.select_related("case__holder", "case__category").get(case=case)
