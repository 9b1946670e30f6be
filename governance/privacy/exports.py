"""The case list to Excel, with its parties: numbers masked, unless the exporter may
reveal them for a matter and asks (with a purpose), each such matter then logged."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.masking import mask_id_number, mask_phone
from governance.cases.models import Case, Party
from governance.people.roles import REVEAL
from governance.privacy.excel import workbook_bytes
from governance.privacy.models import AccessAction, AccessLogEntry, PersonalField
from governance.privacy.services import clean_purpose

EXPORT_MAX = 5000


def _headers():
    return [_("Matter number"), _("Registered"), _("Kind"), _("Category"), _("Status"), _("Held by"), _("Place"),
            _("Address"), _("Narrative"), _("Parties"), _("ID number"), _("Phone")]


def export_cases(*, cases, actor, full=False, purpose="", address=None) -> bytes:
    """``cases``: the filtered list (already in the actor's view), newest first, at most
    EXPORT_MAX. ``full``: full numbers for the matters the actor may reveal (with the
    purpose; one access-log line per matter), masked for the rest."""
    if full:
        purpose = clean_purpose(purpose)
    cases = list(cases.select_related("category", "holder", "region")[:EXPORT_MAX])
    ids = [case.pk for case in cases]
    parties = {}
    for party in Party.objects.filter(case_id__in=ids).order_by("case_id", "role", "id"):
        parties.setdefault(party.case_id, []).append(party)
    revealable = set(Case.objects.restrict(actor, REVEAL).filter(pk__in=ids).values_list("pk", flat=True)) \
        if full else set()
    rows = []
    for case in cases:
        shown = parties.get(case.pk, [])
        whole = case.pk in revealable
        rows.append([
            case.number, timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"), case.get_kind_display(),
            case.category.name, case.get_status_display(), case.holder.name, case.region.name, case.address,
            case.narrative,
            "；".join(f"{p.get_role_display()} {p.name}" for p in shown),
            "；".join(p.id_number if whole else mask_id_number(p.id_number) for p in shown if p.id_number),
            "；".join(p.phone if whole else mask_phone(p.phone) for p in shown if p.phone),
        ])
    with transaction.atomic():
        AccessLogEntry.objects.bulk_create([
            AccessLogEntry(user=actor, action=AccessAction.EXPORT, case_id=case_id, purpose=purpose,
                           fields=[f for f in PersonalField.values if any(getattr(p, f) for p in parties[case_id])],
                           parties=[p.pk for p in parties[case_id]], address=address)
            for case_id in revealable if any(p.id_number or p.phone for p in parties.get(case_id, []))
        ])
        return workbook_bytes(_("Matters"), _headers(), rows)
