"""The agreement (调解协议书): drawn from the admin's template when mediation
succeeds, edited while a draft, signed (it takes effect, and the 30 days for
judicial confirmation start), superseded by a new version with the reason, and
printed with the parties' full ID numbers, each print written to the access log."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.querysets import VIEW
from governance.models import Case, Party
from mediation import clocks
from governance.privacy.models import AccessAction, PersonalField
from governance.privacy.services import record_print
from mediation.choices import MediationStatus, TeamRole
from mediation.models import Agreement, AgreementTemplate, MediationRules
from mediation.permissions import CONDUCT
from mediation.services.common import (
    CaseChangeForbidden,
    CaseNotFound,
    InvalidTransition,
    ValidationError,
    center_language,
    event,
    holds,
    is_mediating,
    is_team,
    lock_mediation,
    require,
    required,
)

# The wording when no template is kept (the admin's default template starts as this).
DEFAULT_TITLE = "人民调解协议书"
DEFAULT_PREAMBLE = ("{body}受理了当事人之间的{category}纠纷（事项编号：{case_number}，纠纷发生地：{place}），"
                    "依照《中华人民共和国人民调解法》的规定进行了调解。")
DEFAULT_CLOSING = ("本协议一式三份，当事人各执一份，调解组织留存一份。\n"
                   "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖调解组织印章之日起生效。\n"
                   "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
                   "当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。")
EDITABLE = (MediationStatus.SUCCEEDED, MediationStatus.FOLLOWED_UP)


def _fill(text, mediation):
    case = mediation.case
    return text.format(body=mediation.body.name, category=case.category.name, case_number=case.number,
                       place=case.region.name)


def _snapshot_parties(case):
    return [{"role": party.role, "role_label": str(party.get_role_display()), "name": party.name,
             "id_number": party.id_number, "address": party.address}
            for party in case.parties.all()]


def _mediator_names(mediation):
    names = [str(mediation.lead)]
    names += [str(member.user) for member in mediation.members.filter(
        role__in=(TeamRole.MEDIATOR, TeamRole.PRO_MEDIATOR)).select_related("user")
        if member.user_id != mediation.lead_id]
    return names


def draft_agreement(mediation, *, actor, facts, terms, performance_deadline, supersedes=None, reason=""):
    """A new draft version, worded by the default template (or the built-in wording)."""
    template = AgreementTemplate.objects.filter(is_default=True, is_active=True).first()
    wording = (template.title, template.preamble, template.closing) if template else (
        DEFAULT_TITLE, DEFAULT_PREAMBLE, DEFAULT_CLOSING)
    with center_language():
        last = mediation.agreements.order_by("-version").values_list("version", flat=True).first() or 0
        return Agreement.objects.create(
            mediation=mediation, version=last + 1, template=template, title=_fill(wording[0], mediation),
            preamble=_fill(wording[1], mediation), closing=_fill(wording[2], mediation),
            parties=_snapshot_parties(mediation.case), facts=facts, terms=terms,
            performance_deadline=performance_deadline, mediators=_mediator_names(mediation),
            body_name=mediation.body.name, supersedes=supersedes, supersede_reason=reason, created_by=actor)


def current_agreement(mediation):
    return mediation.agreements.order_by("-version").first()


def _lock_for_agreement(mediation_id, actor):
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require(actor, CONDUCT)
    if not is_mediating(actor, mediation):
        raise CaseChangeForbidden(_("Only the mediators of this mediation write its agreement."))
    if mediation.status not in EDITABLE:
        raise InvalidTransition(_("A mediation that is “%(status)s” has no agreement to work on.")
                                % {"status": mediation.get_status_display()})
    return mediation


def _check_texts(facts, terms, performance_deadline):
    facts = required(facts, "facts", _("Write the facts of the dispute."))
    terms = required(terms, "terms", _("Write the terms the parties agreed."))
    if performance_deadline is not None and performance_deadline < timezone.localdate():
        raise ValidationError({"performance_deadline": _("The performance deadline cannot be in the past.")})
    return facts, terms


@transaction.atomic
def agreement_update_draft(*, mediation_id, actor, facts, terms, performance_deadline=None) -> Agreement:
    """Change the draft's facts, terms and deadline. A signed version is final."""
    facts, terms = _check_texts(facts, terms, performance_deadline)
    mediation = _lock_for_agreement(mediation_id, actor)
    agreement = current_agreement(mediation)
    if agreement is None or agreement.is_signed:
        raise InvalidTransition(_("A signed agreement is never changed: supersede it with a new version and say "
                                  "why."))
    agreement.facts, agreement.terms, agreement.performance_deadline = facts, terms, performance_deadline
    agreement.save(update_fields=["facts", "terms", "performance_deadline"])
    return agreement


@transaction.atomic
def agreement_sign(*, mediation_id, actor, signed_on) -> Agreement:
    """The parties signed the draft on ``signed_on``: it takes effect that day and is
    final; the 30 days to apply for judicial confirmation start."""
    if signed_on is None:
        raise ValidationError({"signed_on": _("Give the day the parties signed.")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The day of signing cannot be in the future.")})
    mediation = _lock_for_agreement(mediation_id, actor)
    agreement = current_agreement(mediation)
    if agreement is None or agreement.is_signed:
        raise InvalidTransition(_("There is no draft to sign."))
    if signed_on < timezone.localtime(agreement.created_at).date():
        raise ValidationError({"signed_on": _("The parties cannot have signed before the agreement was drawn.")})
    agreement.signed_on, agreement.signed_recorded_by = signed_on, actor
    agreement.save(update_fields=["signed_on", "signed_recorded_by"])
    clock = clocks.start_confirmation_clock(agreement, MediationRules.current())
    with center_language():
        event(mediation, actor=actor, step_name="agreement_signed", citizen=True,
              data={"agreement": agreement.pk, "version": agreement.version},
              note=_("The mediation agreement (version %(version)s) was signed and took effect on %(day)s. The "
                     "parties may apply jointly to the court for judicial confirmation until %(last_day)s.")
              % {"version": agreement.version, "day": f"{signed_on:%Y-%m-%d}",
                 "last_day": f"{clocks.last_day(clock.due_at):%Y-%m-%d}"})
    return agreement


@transaction.atomic
def agreement_supersede(*, mediation_id, actor, reason, facts, terms, performance_deadline=None) -> Agreement:
    """A new draft version that will replace the signed one, with the reason; the
    signed one stays as it was."""
    reason = required(reason, "reason", _("Say why the agreement is superseded."))
    facts, terms = _check_texts(facts, terms, performance_deadline)
    mediation = _lock_for_agreement(mediation_id, actor)
    signed = current_agreement(mediation)
    if signed is None or not signed.is_signed:
        raise InvalidTransition(_("Only a signed agreement is superseded; a draft is simply edited."))
    agreement = draft_agreement(mediation, actor=actor, facts=facts, terms=terms,
                                performance_deadline=performance_deadline, supersedes=signed, reason=reason)
    with center_language():
        event(mediation, actor=actor, step_name="agreement_superseded",
              data={"agreement": agreement.pk, "supersedes": signed.pk},
              note=_("Version %(new)s of the agreement drawn to supersede version %(old)s: %(reason)s")
              % {"new": agreement.version, "old": signed.version, "reason": reason})
    return agreement


@transaction.atomic
def agreement_for_print(*, agreement_id, actor, address=None) -> Agreement:
    """The agreement to print, with the parties' full ID numbers: for the mediation's
    team and the organisation that holds the matter; each print is written to the
    access log, in the same transaction."""
    agreement = Agreement.objects.select_related("mediation__case", "mediation__body").filter(
        pk=agreement_id).first()
    if agreement is None or not Case.objects.restrict(actor, VIEW).filter(pk=agreement.mediation.case_id).exists():
        raise CaseNotFound(agreement_id)
    mediation = agreement.mediation
    if not (is_team(actor, mediation) or holds(actor, mediation.case)):
        raise CaseChangeForbidden(_("Only the mediation's team or the organisation that holds the matter prints "
                                    "the agreement with full ID numbers."))
    id_numbers = {party.get("id_number") for party in agreement.parties if party.get("id_number")}
    with center_language():
        record_print(actor=actor, action=AccessAction.PRINT_AGREEMENT, case_id=mediation.case_id,
                     purpose=_("Printing the mediation agreement (version %(version)s)") % {"version": agreement.version},
                     parties=list(Party.objects.filter(case_id=mediation.case_id, id_number__in=id_numbers)),
                     fields=[PersonalField.ID_NUMBER], object_type="mediation.agreement", object_id=agreement.pk,
                     address=address, detail={"version": agreement.version,
                                              "parties": [party["name"] for party in agreement.parties]})
    return agreement
