"""Taking a matter into mediation: open it (a body, a lead, the team, the "1131"
places of a joint mediation), and the lead accepts it or declines with a reason."""
from django.db import transaction
from django.utils.translation import gettext as _

from governance.cases.grants import open_case_to
from governance.cases.querysets import CHANGE, VIEW
from governance.cases.services import case_change_status
from governance.choices import CaseKind, CaseStatus, Channel, GrantPurpose, OrganisationKind, Role
from governance.models import Case, CaseUserObjectPermission
from governance.people.roles import SUPERVISE
from mediation import clocks
from mediation.choices import JOINT_ROLES, MEDIATION_BODY_KINDS, TeamRole
from mediation.models import AccessGrant, Mediation, MediationRules, MediatorProfile, TeamMember
from mediation.permissions import CONDUCT, OPEN
from mediation.services.common import (
    CaseChangeForbidden,
    InvalidTransition,
    ValidationError,
    center_language,
    event,
    holds,
    lock_case,
    lock_mediation,
    notify,
    require,
    require_lead,
    required,
    save,
    step,
)

# Who may fill each "1131" place: (roles, organisation kinds); None: any.
JOINT_PLACE_RULES = {
    TeamRole.COORDINATOR: (None, None),
    TeamRole.HOST: ((Role.LEADER, Role.HANDLER), None),  # a local or department head, or the owning leader
    TeamRole.PRO_MEDIATOR: ((Role.MEDIATOR,), None),
    TeamRole.LAWYER: (None, (OrganisationKind.LEGAL_AID,)),
    TeamRole.PSYCHOLOGIST: (None, (OrganisationKind.COUNSELLING,)),
    TeamRole.TRACKER: (None, (OrganisationKind.DEPARTMENT,)),  # the petition bureau is a stationed department
}


def _in_county(user, case) -> bool:
    return (user.is_active and user.organisation_id is not None
            and user.organisation.region.path.startswith(case.region.county_path))


def _check_lead(lead, body, case):
    if lead is None or lead.role != Role.MEDIATOR or not _in_county(lead, case):
        raise ValidationError({"lead": _("The lead must be an active mediator of this county.")})
    profile = MediatorProfile.objects.filter(user=lead, is_active=True).first()
    if profile is None:
        raise ValidationError({"lead": _("%(name)s has no active mediator profile; ask an administrator.")
                               % {"name": lead}})
    body = body or profile.body
    if body.kind not in MEDIATION_BODY_KINDS or not body.is_active \
            or not body.region.path.startswith(case.region.county_path):
        raise ValidationError({"body": _("Choose an active mediation body of this county.")})
    return body


def _check_team(case, lead, members, joint, is_joint):
    """[(user, role)] of the team beside the lead, or a 400 naming what is wrong."""
    team = []
    for user in members:
        if user.pk == lead.pk:
            continue
        if user.role != Role.MEDIATOR or not _in_county(user, case):
            raise ValidationError({"members": _("%(name)s is not an active mediator of this county.")
                                   % {"name": user}})
        team.append((user, TeamRole.MEDIATOR))
    joint = {role: user for role, user in (joint or {}).items() if user is not None}
    if is_joint:
        missing = [str(TeamRole(role).label) for role in JOINT_ROLES if role not in joint]
        if missing:
            raise ValidationError({"team": _("A joint mediation (1131) needs one person in each place; missing: "
                                             "%(places)s.") % {"places": "、".join(missing)}})
    for role, user in joint.items():
        roles, kinds = JOINT_PLACE_RULES[role]
        fits = _in_county(user, case) and (roles is None or user.role in roles) and (
            kinds is None or user.organisation.kind in kinds)
        if not fits:
            raise ValidationError({role: _("%(name)s cannot be the %(place)s.")
                                   % {"name": user, "place": TeamRole(role).label}})
        team.append((user, role))
    return team


def grant_access(mediation, users, codenames):
    """Give ``users`` the rights on the matter they lack, and remember what was given."""
    case = mediation.case
    action = CHANGE if "change_case" in codenames else VIEW
    needing = [user for user in users if not Case.objects.restrict(user, action).filter(pk=case.pk).exists()]
    if not needing:
        return
    had = set(CaseUserObjectPermission.objects.filter(content_object=case, user__in=needing)
              .values_list("user_id", "permission__codename"))
    open_case_to(case, needing, purpose=GrantPurpose.STANDING, can_change="change_case" in codenames)
    AccessGrant.objects.bulk_create(
        [AccessGrant(mediation=mediation, user=user, codename=codename)
         for user in needing for codename in codenames if (user.pk, codename) not in had],
        ignore_conflicts=True)


def withdraw_grants(mediation, *, codenames=("view_case", "change_case")):
    """Take back the rights this mediation gave (only those it gave)."""
    given = AccessGrant.objects.filter(mediation=mediation, codename__in=codenames)
    pairs = list(given.values_list("user_id", "codename"))
    for user_id, codename in pairs:
        CaseUserObjectPermission.objects.filter(
            content_object=mediation.case, user_id=user_id, permission__codename=codename,
            purpose=GrantPurpose.STANDING).delete()
    given.delete()
    return pairs


@transaction.atomic
def mediation_open(*, case_id, actor, lead, body=None, members=(), joint=None, is_joint=False,
                   suggestion="", note="") -> Mediation:
    """Open a mediation on a dispute: the holding center (or a leader who sees the
    matter) names the body, the lead mediator and the team. The lead is asked to
    accept; whoever on the team could not reach the matter is given it (the
    mediators to change it, the others to read it) while the mediation lasts."""
    case = lock_case(case_id=case_id, actor=actor)
    require(actor, OPEN)
    if not (holds(actor, case) or actor.has_perm(SUPERVISE.permission)):
        raise CaseChangeForbidden(_("Only the organisation that holds the matter, or a center leader, can open a "
                                    "mediation on it."))
    if case.kind != CaseKind.DISPUTE:
        raise InvalidTransition(_("Only a dispute is mediated."))
    if not case.is_open:
        raise InvalidTransition(_("The matter is “%(status)s”: only an open matter is mediated.")
                                % {"status": case.get_status_display()})
    if Mediation.objects.active().filter(case=case).exists():
        raise InvalidTransition(_("This matter is already in mediation."))
    body = _check_lead(lead, body, case)
    team = _check_team(case, lead, members, joint, is_joint)
    mediation = Mediation.objects.create(
        case=case, body=body, lead=lead, is_joint=is_joint, court_referred=case.channel == Channel.COURT_REFERRAL,
        opened_by=actor, suggestion=(suggestion or "").strip())
    TeamMember.objects.bulk_create([TeamMember(mediation=mediation, user=user, role=role) for user, role in team])
    mediators = [lead, *[user for user, role in team if user.role == Role.MEDIATOR]]
    grant_access(mediation, mediators, ["view_case", "change_case"])
    grant_access(mediation, [user for user, _role in team if user not in mediators], ["view_case"])
    with center_language():
        text = _("Mediation opened: %(body)s, lead mediator %(lead)s.") % {"body": body, "lead": lead}
        if mediation.suggestion:
            text += " " + _("Suggested because: %(reason)s.") % {"reason": mediation.suggestion}
        if note:
            text += " " + note.strip()
        event(mediation, actor=actor, step_name="opened", note=text, data={"joint": is_joint})
        notify(mediation, _("You are asked to lead a mediation: accept it or decline with a reason."),
               users=[lead])
        if team:
            notify(mediation, _("You are on the team of a mediation led by %(lead)s.") % {"lead": lead},
                   users=[user for user, _role in team])
    return mediation


@transaction.atomic
def mediation_accept(*, mediation_id, actor, note="") -> Mediation:
    """The lead accepts: the mediation's month starts (the matter's tier clock waits),
    and a matter still awaiting triage is now being handled."""
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_lead(actor, mediation, CONDUCT)
    step(mediation, "accept")
    save(mediation, "accepted_at")
    case = mediation.case
    with center_language():
        if case.status == CaseStatus.REGISTERED:
            case_change_status(case_id=case.pk, actor=actor, action="accept",
                               note=_("Taken into mediation."))
            case.refresh_from_db(fields=["status"])
        clocks.start_mediation_clock(mediation, MediationRules.current(), at=mediation.accepted_at)
        event(mediation, actor=actor, step_name="accepted", citizen=True,
              note=_("%(body)s accepted the dispute for mediation.") % {"body": mediation.body})
        notify(mediation, _("%(lead)s accepted the mediation.") % {"lead": mediation.lead},
               organisations=[case.holder], users=[mediation.opened_by] if mediation.opened_by != actor else [])
    return mediation


@transaction.atomic
def mediation_decline(*, mediation_id, actor, reason) -> Mediation:
    """The lead declines, with the reason; the opener can open another with someone else."""
    reason = required(reason, "reason", _("Please give the reason for declining."))
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_lead(actor, mediation, CONDUCT)
    step(mediation, "decline")
    mediation.declined_reason = reason
    save(mediation, "declined_reason")
    withdraw_grants(mediation)
    with center_language():
        text = _("%(lead)s declined to lead the mediation: %(reason)s") % {"lead": mediation.lead, "reason": reason}
        event(mediation, actor=actor, step_name="declined", note=text)
        notify(mediation, text, users=[mediation.opened_by], organisations=[mediation.case.holder])
    return mediation

