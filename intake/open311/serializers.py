"""The spec's documents as plain data, fields in the spec's order; rendering.py
turns them into JSON or XML. Nothing here reads parties: Open311 is public."""
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.choices import CaseKind
from intake.open311.rendering import CONTENT_TYPES
from intake.open311.services import DETAILS_KEY

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the discovery document or the shape of the service definitions last changed.
# Categories carry no timestamp, so renaming one in the admin does not move it.
CHANGESET = "2026-11-23T00:00:00+08:00"


def w3c(moment):
    """2026-11-23T09:30:00+08:00: the spec's W3C date-time, with the offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def discovery(*, endpoint_url, production):
    return {
        "changeset": CHANGESET,
        "contact": _("Call or visit the county social governance center; any intake window can help."),
        "key_service": _("Ask the county center's system administrator for an API key "
                         "(administration: Open311 API keys)."),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": endpoint_url,
            "changeset": CHANGESET,
            "type": "production" if production else "test",
            "formats": [CONTENT_TYPES["xml"].split(";")[0], CONTENT_TYPES["json"].split(";")[0]],
        }],
    }


def service(category):
    group = str(CaseKind.DISPUTE.label)
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _("A dispute about %(category)s, sent at once to the social governance center of its place. "
                         "Descriptions are public: do not put ID numbers or phone numbers in them.")
        % {"category": category.name},
        "metadata": True,
        "type": "realtime",
        "keywords": f"{category.name}, {group}",
        "group": group,
    }


def _attribute(*, code, order, datatype, required, description, datatype_description=None, variable=True,
               values=()):
    return {
        "variable": variable,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description,
        "order": order,
        "description": description,
        "values": list(values),
    }


def service_definition(category):
    return {
        "service_code": category.code,
        "attributes": [
            _attribute(
                code="region", order=1, datatype="string", required=True,
                description=_("Where the dispute is: the code of its village (community), town or grid."),
                datatype_description=_("The 12-digit code of a village or town, or the 14-digit code of a grid, "
                                       "as listed by GET /api/v1/regions/ (e.g. 339901001001)."),
            ),
            _attribute(
                code="id_number", order=2, datatype="string", required=False,
                description=_("The applicant's resident ID number, so the center recognises earlier visits. "
                              "It is never shown through Open311."),
                datatype_description=_("18 characters: 17 digits and a digit or X."),
            ),
            _attribute(
                code="kind", order=3, datatype="singlevaluelist", required=False, variable=False,
                description=_("Matters submitted here are registered as disputes."),
                values=[{"key": CaseKind.DISPUTE.value, "name": str(CaseKind.DISPUTE.label)}],
            ),
        ],
    }


def _details(case):
    """What the client sent that the matter has no field for (kept on its Open311 note)."""
    notes = getattr(case, "open311_notes", None) or []
    return notes[0].data.get(DETAILS_KEY, {}) if notes else {}


# What anyone may read of a matter: its status. The narrative, the address and the
# place name people, so they go only to the client whose key submitted the matter.
PRIVATE_FIELDS = ("description", "address", "address_id", "lat", "long", "media_url")


def service_request(case, api_key=None):
    """GeoReport's service request. ``api_key``: the caller's key (or None); the
    description, address and location only if that key submitted the matter."""
    details = _details(case)
    reply = {
        "service_request_id": case.number,
        "status": "open" if case.is_open else "closed",
        "status_notes": getattr(case, "status_notes", None) or None,
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.narrative or None,
        "agency_responsible": case.holder.name,
        "service_notice": None,
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.deadline),
        "address": case.address or case.region.name,
        "address_id": case.region.code,
        "zipcode": None,
        "lat": details.get("lat"),
        "long": details.get("long"),
        # The photo or video the client linked (GeoReport's media_url), as it was sent.
        "media_url": details.get("media_url"),
    }
    if api_key is None or getattr(case, "submitted_by_key", None) != api_key.pk:
        reply.update(dict.fromkeys(PRIVATE_FIELDS))
    return reply


def service_notice(case):
    if case.deadline is None:
        return _("Registered as %(number)s and sent to %(holder)s.") % {
            "number": case.number, "holder": case.holder.name}
    return _("Registered as %(number)s and sent to %(holder)s, who will reply by %(deadline)s.") % {
        "number": case.number, "holder": case.holder.name,
        "deadline": timezone.localtime(case.deadline).strftime("%Y-%m-%d")}


def receipt(intake):
    """What POST requests answers. ``type`` is realtime, so the number comes at once;
    the token comes too, for clients that follow submissions by token."""
    return {
        "service_request_id": intake.case.number,
        "token": intake.token,
        "service_notice": service_notice(intake.case),
        "account_id": None,
    }


def token_reply(intake):
    return {"service_request_id": intake.case.number, "token": intake.token}

