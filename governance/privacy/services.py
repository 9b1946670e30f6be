"""Writes of the access log: revealing a matter's personal data with a purpose, and
recording each print or export that carries full numbers. Every full number that
leaves the server goes through here, in the same transaction as what shows it."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.cases.masking import mask_id_number, mask_phone
from governance.cases.models import Case, Party
from governance.cases.services import CaseChangeForbidden, CaseNotFound
from governance.people.roles import REVEAL, VIEW
from governance.privacy.models import AccessAction, AccessLogEntry, PersonalField

PURPOSE_MAX = 200
MASKS = {PersonalField.ID_NUMBER: mask_id_number, PersonalField.PHONE: mask_phone}


def clean_purpose(purpose) -> str:
    purpose = " ".join(str(purpose or "").split())
    if not purpose:
        raise ValidationError({"purpose": _("Say why you need the full numbers (e.g. to call the applicant back).")})
    if len(purpose) > PURPOSE_MAX:
        raise ValidationError({"purpose": _("Keep the purpose under %(max)s characters.") % {"max": PURPOSE_MAX}})
    return purpose


def clean_fields(fields) -> list[str]:
    fields = list(fields or PersonalField.values)
    unknown = [field for field in fields if field not in PersonalField.values]
    if unknown or not fields:
        raise ValidationError({"fields": _("Choose the ID number, the phone, or both.")})
    return [field for field in PersonalField.values if field in fields]


def may_reveal(user, case) -> bool:
    return Case.objects.restrict(user, REVEAL).filter(pk=case.pk).exists()


def check_may_reveal(actor, case_id, refusal=None):
    """CaseNotFound outside the actor's view; CaseChangeForbidden when they see the
    matter but may not reveal its personal data."""
    if not Case.objects.restrict(actor, VIEW).filter(pk=case_id).exists():
        raise CaseNotFound(case_id)
    if not Case.objects.restrict(actor, REVEAL).filter(pk=case_id).exists():
        raise CaseChangeForbidden(refusal or str(REVEAL.refusal))


def party_rows(parties, fields):
    """What a reveal shows: the asked fields in full, the others masked."""
    rows = []
    for party in parties:
        row = {"id": party.pk, "role": party.role, "role_label": party.get_role_display(), "name": party.name}
        for field, mask in MASKS.items():
            value = getattr(party, field)
            row[field] = value if field in fields else mask(value)
        rows.append(row)
    return rows


@transaction.atomic
def personal_data_reveal(*, case_id, actor, purpose, fields=None, address=None) -> list[dict]:
    """The parties of a matter with their ID numbers and/or phones in full, for a
    person who may reveal them (the holding organisation's staff, whoever registered
    the matter, admins), with the purpose written to the access log first."""
    check_may_reveal(actor, case_id)
    purpose = clean_purpose(purpose)
    fields = clean_fields(fields)
    parties = list(Party.objects.filter(case_id=case_id).order_by("role", "id"))
    shown = [party.pk for party in parties if any(getattr(party, field) for field in fields)]
    access_log_record(actor=actor, action=AccessAction.REVEAL, case_id=case_id, fields=fields, parties=shown,
                      purpose=purpose, address=address)
    return party_rows(parties, fields)


def access_log_record(*, actor, action, case_id, fields, parties, purpose, object_type="", object_id=None,
                      address=None, detail=None) -> AccessLogEntry:
    """One line of the access log. Call it inside the transaction that shows the data,
    so a print or a reveal that fails leaves no line, and none happens without one."""
    return AccessLogEntry.objects.create(
        user=actor, action=action, case_id=case_id, fields=list(fields), parties=list(parties),
        purpose=str(purpose)[:PURPOSE_MAX], object_type=object_type, object_id=object_id, address=address,
        detail=detail or {},
    )


def record_print(*, actor, action, case_id, purpose, parties, fields=None, object_type="", object_id=None,
                 address=None, detail=None) -> AccessLogEntry:
    """A print (receipt's clerk's copy, mediation agreement, petition document) that
    carries full numbers: which parties' which fields went on paper."""
    fields = fields or [field for field in PersonalField.values
                        if any(getattr(party, field, "") for party in parties)]
    return access_log_record(actor=actor, action=action, case_id=case_id, fields=fields,
                             parties=[party.pk for party in parties], purpose=purpose,
                             object_type=object_type, object_id=object_id, address=address, detail=detail)


def client_address(request):
    """The caller's address for the log: the one the rate limits count
    (RATELIMIT_IP_META_KEY behind the county's proxy, else REMOTE_ADDR), or None."""
    import ipaddress

    from django.conf import settings
    from django.utils.module_loading import import_string

    key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    try:
        if callable(key):
            value = key(request)
        elif isinstance(key, str) and "." in key:
            value = import_string(key)(request)
        elif key:
            value = request.META.get(key, "")
        else:
            value = request.META.get("REMOTE_ADDR", "")
        return str(ipaddress.ip_address(str(value).strip()))
    except (ValueError, ImportError):
        return None
