"""Statuses and types of the mediation app, in the words the mediators use."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.choices import OrganisationKind


class MediationStatus(models.TextChoices):
    """The steps of a mediation (DOMAIN.md "Mediation"): proposed to a lead mediator,
    accepted -> scheduled -> in mediation -> success | failure | terminated ->
    followed up -> closed. A declined proposal ends there; a new one can be opened."""

    PROPOSED = "proposed", _("Awaiting the lead mediator")
    DECLINED = "declined", _("Declined")
    ACCEPTED = "accepted", _("Accepted")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_MEDIATION = "in_mediation", _("In mediation")
    SUCCEEDED = "succeeded", _("Settled")
    FAILED = "failed", _("Not settled")
    TERMINATED = "terminated", _("Terminated")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


S = MediationStatus
# A mediation that still has work to do (one per matter at a time).
ACTIVE_STATUSES = (S.PROPOSED, S.ACCEPTED, S.SCHEDULED, S.IN_MEDIATION, S.SUCCEEDED, S.FAILED, S.TERMINATED,
                   S.FOLLOWED_UP)
# Before an outcome: the month's clock runs, sessions can be booked.
RUNNING_STATUSES = (S.ACCEPTED, S.SCHEDULED, S.IN_MEDIATION)
# After an outcome: the follow-up visit is due.
CONCLUDED_STATUSES = (S.SUCCEEDED, S.FAILED, S.TERMINATED)


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Settled")
    FAILURE = "failure", _("Not settled")
    TERMINATED = "terminated", _("Terminated")


class Route(models.TextChoices):
    """The routes the parties are told of when mediation fails (人民调解法 art. 26)."""

    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    ADMINISTRATIVE = "administrative", _("Administrative route")


class MediatorKind(models.TextChoices):
    PEOPLES = "peoples", _("People's mediation")
    ADMINISTRATIVE = "administrative", _("Administrative mediation")
    JUDICIAL = "judicial", _("Judicial (court-invited) mediation")
    INDUSTRY = "industry", _("Industry mediation")


class TeamRole(models.TextChoices):
    """Who else takes part: other mediators, and the "1131" roles of a joint
    mediation (大事联合调): 1 duty coordinator, 1 host, 3 professionals (mediator,
    lawyer, psychologist), 1 petition-bureau tracker."""

    MEDIATOR = "mediator", _("Mediator")
    COORDINATOR = "coordinator", _("Duty coordinator")
    HOST = "host", _("Host")
    PRO_MEDIATOR = "pro_mediator", _("Professional: mediator")
    LAWYER = "lawyer", _("Professional: lawyer")
    PSYCHOLOGIST = "psychologist", _("Professional: psychologist")
    TRACKER = "tracker", _("Petition-bureau tracker")


# The six places of a "1131" team, each one person.
JOINT_ROLES = (TeamRole.COORDINATOR, TeamRole.HOST, TeamRole.PRO_MEDIATOR, TeamRole.LAWYER,
               TeamRole.PSYCHOLOGIST, TeamRole.TRACKER)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ConfirmationDecision(models.TextChoices):
    """What the court decided on a joint application for judicial confirmation."""

    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted by the court")
    WITHDRAWN = "withdrawn", _("Application withdrawn")


class ReferralOutcome(models.TextChoices):
    """What became of a matter referred to the court station (诉调对接)."""

    PENDING = "pending", _("Awaiting the court")
    FILED = "filed", _("Case filed")
    SETTLED = "settled", _("Settled by the court's mediation")
    JUDGED = "judged", _("Judged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FollowUpMethod(models.TextChoices):
    PHONE = "phone", _("By phone")
    VISIT = "visit", _("Visit")


class Performance(models.TextChoices):
    """Whether the agreement was performed, as the follow-up found."""

    FULLY = "fully", _("Performed in full")
    PARTLY = "partly", _("Partly performed")
    NOT_PERFORMED = "not_performed", _("Not performed")
    NOT_DUE = "not_due", _("Not due yet")
    NOT_APPLICABLE = "not_applicable", _("No agreement")


# What the follow-up counts as "not performed" (the center may reopen).
NOT_PERFORMED = (Performance.PARTLY, Performance.NOT_PERFORMED)


class Satisfaction(models.IntegerChoices):
    """The party's satisfaction on five levels (回访满意度)."""

    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Fairly satisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


# At or below this the party is dissatisfied (the center may reopen).
DISSATISFIED_AT_MOST = Satisfaction.DISSATISFIED

# The organisations that mediate: people's mediation committees, industry
# committees, studios, court stations; and centers (a village station is where its
# people's mediation committee sits, "四室一窗口").
MEDIATION_BODY_KINDS = (
    OrganisationKind.MEDIATION_COMMITTEE, OrganisationKind.INDUSTRY_MEDIATION, OrganisationKind.STUDIO,
    OrganisationKind.COURT_STATION, OrganisationKind.CENTER,
)


