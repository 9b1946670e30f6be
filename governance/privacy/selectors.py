"""Reads of the access log, and a person's request to know what is held about them
(PIPL art. 45): their parties' rows, the matters they are in, and every sight of
their numbers in full."""
from dataclasses import dataclass

from django.db.models import Q

from governance.cases.models import Party
from governance.privacy.models import AccessLogEntry


@dataclass
class PersonalDataReport:
    id_number: str
    phone: str
    parties: list
    entries: list


def personal_data_report(*, id_number="", phone="") -> PersonalDataReport:
    """Everything held about the person with ``id_number`` or ``phone``: each party row
    (which matter, which role, what is recorded) and each access-log entry that showed
    that party's numbers in full. For an administrator answering the person; the
    administrator's own lookup is not a reveal of someone else's data."""
    id_number, phone = (id_number or "").strip().upper(), "".join((phone or "").split())
    if not (id_number or phone):
        return PersonalDataReport(id_number, phone, [], [])
    condition = Q(pk__in=[])
    if id_number:
        condition |= Q(id_number=id_number)
    if phone:
        condition |= Q(phone=phone)
    parties = list(Party.objects.filter(condition).select_related("case", "case__category", "case__holder")
                   .order_by("case__created_at", "id"))
    party_ids = [party.pk for party in parties]
    entries = list(AccessLogEntry.objects.filter(parties__overlap=party_ids).select_related("user", "case")
                   .order_by("at", "id")) if party_ids else []
    return PersonalDataReport(id_number, phone, parties, entries)
