"""Issuing the notices of the steps, recording their service, and correcting one
(a new version; the old one is kept as issued)."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.choices import Channel
from petitions import documents
from petitions.choices import Period, Service
from petitions.models import PetitionDocument
from petitions.periods import period_limit, spoken
from petitions.services.common import HANDLE, SEES, CaseNotFound, center_language, check_day, lock, record


def petitioners_line(petition) -> str:
    """How a notice addresses the petitioners: names, and for a group the
    representatives with the head count."""
    people = list(petition.petitioners.select_related("party"))
    representatives = [p.party.name for p in people if p.is_representative]
    if petition.is_group:
        names = "、".join(representatives or [p.party.name for p in people])
        return _("%(names)s and others (%(count)s people)") % {"names": names, "count": petition.group_size}
    return "、".join(p.party.name for p in people)


def notice_values(petition, **extra) -> dict:
    with center_language():
        values = {
            "petitioners": petitioners_line(petition), "number": petition.case.number,
            "received_on": spoken(petition.received_on), "channel": Channel(petition.case.channel).label,
            "addressed_to": petition.addressed_to, "accepted_on": spoken(petition.accepted_on),
            "reply_days": period_limit(Period.REPLY).limit,
            "review_requested_on": spoken(petition.review_requested_on),
            "re_review_requested_on": spoken(petition.re_review_requested_on),
        }
        for key, value in extra.items():
            values[key] = spoken(value) if hasattr(value, "isoformat") else str(value)
    return values


def check_service(served_on, service, *, not_before, label):
    """When and how a notice was served: the served date starts the petitioner's windows."""
    if service not in Service.values:
        raise ValidationError({"service": _("Choose how the notice was served: in person, by post or "
                                            "electronically.")})
    return check_day(served_on, field="served_on", not_before=not_before, before_label=label)


def check_decision_dates(decided_on, served_on, service, *, after, after_label):
    """A decision dated on or after the step it answers, served on or after it."""
    check_day(decided_on, field="decided_on", not_before=after, before_label=after_label)
    check_service(served_on, service, not_before=decided_on, label=_("the decision"))


def served_text(document) -> str:
    return _("served %(how)s on %(date)s") % {"how": Service(document.service).label,
                                               "date": spoken(document.served_on)}


def issue_notice(petition, kind, *, actor, decided_on, served_on=None, service="", **extra) -> PetitionDocument:
    return documents.issue(petition=petition, kind=kind, organisation=actor.organisation or petition.case.holder,
                           actor=actor, issued_on=decided_on, values=notice_values(petition, decided_on=decided_on,
                                                                                   **extra),
                           served_on=served_on, service=service)


@transaction.atomic
def document_serve(*, case_id, document_id, actor, served_on, service) -> PetitionDocument:
    """Record how and when an issued notice was served (once; e.g. a posted notice
    when its receipt comes back)."""
    case, petition = lock(case_id=case_id, actor=actor, scope=SEES, permission=HANDLE)
    document = PetitionDocument.objects.select_for_update().filter(pk=document_id, petition=petition).first()
    if document is None:
        raise CaseNotFound(document_id)
    if document.served_on is not None:
        raise ValidationError({"served_on": _("This notice was already served on %(date)s.")
                               % {"date": spoken(document.served_on)}})
    check_service(served_on, service, not_before=document.issued_on, label=_("the notice's date"))
    document.served_on, document.service, document.served_recorded_by = served_on, service, actor
    document.save(update_fields=["served_on", "service", "served_recorded_by"])
    with center_language():
        record(case, actor=actor, step="served", note=_("%(title)s %(number)s was served %(how)s on %(date)s.") % {
            "title": document.title, "number": document.number, "how": Service(service).label,
            "date": spoken(served_on)}, document=document.pk)
    return document


@transaction.atomic
def document_correct(*, case_id, document_id, actor, body, reason, served_on, service) -> PetitionDocument:
    """Issue a corrected version of a notice (its text edited, the number kept); the
    earlier version stays as it was issued, marked as replaced. The periods already
    running keep counting from the first service."""
    case, petition = lock(case_id=case_id, actor=actor, scope=SEES, permission=HANDLE)
    earlier = PetitionDocument.objects.select_for_update().filter(pk=document_id, petition=petition).first()
    if earlier is None:
        raise CaseNotFound(document_id)
    if PetitionDocument.objects.filter(replaces=earlier).exists():
        raise ValidationError({"document": _("Correct the latest version of the notice.")})
    body, reason = (body or "").strip(), (reason or "").strip()
    if not body or body == earlier.body.strip():
        raise ValidationError({"body": _("Edit the text to correct it.")})
    if not reason:
        raise ValidationError({"reason": _("Please say what is corrected.")})
    check_service(served_on, service, not_before=earlier.issued_on, label=_("the notice's date"))
    corrected = PetitionDocument.objects.create(
        petition=petition, kind=earlier.kind, version=earlier.version + 1, number=earlier.number,
        organisation=earlier.organisation, organ_name=earlier.organ_name, title=earlier.title,
        addressee=earlier.addressee, body=body, issued_on=earlier.issued_on, issued_by=actor,
        template_updated_at=earlier.template_updated_at, replaces=earlier, served_on=served_on, service=service,
        served_recorded_by=actor)
    with center_language():
        record(case, actor=actor, step="corrected", note=_(
            "%(title)s %(number)s was corrected (version %(version)s): %(reason)s") % {
            "title": corrected.title, "number": corrected.number, "version": corrected.version, "reason": reason},
            document=corrected.pk)
    return corrected
