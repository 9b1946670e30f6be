"""Which steps a person is offered on a mediation's page now (its state and who
they are). Only what to show: the services check the same again and say why not."""
from django.utils import timezone

from mediation.choices import (
    CONCLUDED_STATUSES,
    RUNNING_STATUSES,
    MediationStatus,
    Outcome,
    ReferralOutcome,
    SessionStatus,
    TeamRole,
)
from mediation.permissions import BOOK, CONDUCT, FOLLOW_UP
from mediation.services.agreements import EDITABLE
from mediation.services.common import holds
from mediation.services.followup import needs_decision

S = MediationStatus


def offered(mediation, user, *, agreement=None, confirmation=None, sessions=()) -> set[str]:
    """The names of the page's actions (and ``minutes:<id>``, ``cancel:<id>`` per session)."""
    may = user.has_perm
    lead = mediation.lead_id == user.pk
    members = {member.user_id: member.role for member in mediation.members.all()}
    mediating = lead or members.get(user.pk) in (TeamRole.MEDIATOR, TeamRole.PRO_MEDIATOR)
    holder = holds(user, mediation.case)
    team_or_holder = lead or user.pk in members or holder
    status = mediation.status
    names = set()
    if status == S.PROPOSED and lead and may(CONDUCT.permission):
        names |= {"accept", "decline"}
    if status in RUNNING_STATUSES:
        if team_or_holder and may(BOOK.permission):
            names.add("book")
        if lead and may(CONDUCT.permission):
            names.add("terminate")
            if mediation.extended_at is None:
                names.add("extend")
            if status == S.IN_MEDIATION:
                names |= {"succeed", "fail"}
        elif holder and may(FOLLOW_UP.permission):
            names.add("terminate")
    now = timezone.now()
    for session in sessions:
        if session.status != SessionStatus.SCHEDULED:
            continue
        if team_or_holder and may(BOOK.permission) and status in RUNNING_STATUSES:
            names.add(f"cancel:{session.pk}")
        if mediating and may(CONDUCT.permission) and session.starts_at <= now \
                and status in (S.SCHEDULED, S.IN_MEDIATION):
            names.add(f"minutes:{session.pk}")
    if agreement is not None:
        if team_or_holder:
            names.add("print")
        if status in EDITABLE and mediating and may(CONDUCT.permission):
            names.add("agreement-supersede" if agreement.is_signed else "agreement-edit")
            if not agreement.is_signed:
                names.add("agreement-sign")
        if agreement.is_signed and team_or_holder and (may(FOLLOW_UP.permission) or may(CONDUCT.permission)):
            if confirmation is None:
                names.add("confirmation-apply")
            elif not confirmation.decision:
                names.add("confirmation-decide")
                if confirmation.accepted_on is None:
                    names.add("confirmation-accept")
                elif not confirmation.extended:
                    names.add("confirmation-extend")
    if team_or_holder and may(FOLLOW_UP.permission):
        if any(r.outcome == ReferralOutcome.PENDING for r in mediation.referrals.all()):
            names.add("referral-outcome")
        if status in CONCLUDED_STATUSES:
            names.add("follow-up")
        if status == S.FOLLOWED_UP:
            names.add("close")
            last = mediation.follow_ups.order_by("-at", "-id").first()
            if last is not None and needs_decision(last) and mediation.outcome != Outcome.TERMINATED:
                names.add("reopen")
    return names
