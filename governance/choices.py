"""Choices shared by every app, named in the glossary's words (DOMAIN.md)."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegionLevel(models.TextChoices):
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    GRID = "grid", _("Grid")
    MICRO_GRID = "micro_grid", _("Micro-grid")


class Tier(models.TextChoices):
    """Where a matter is handled; it moves up village -> town -> county."""

    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    COUNTY = "county", _("County")


# The ladder a matter climbs (小事不出村、大事不出镇、矛盾不上交), lowest first.
TIER_ORDER = (Tier.VILLAGE, Tier.TOWN, Tier.COUNTY)


def next_tier(tier):
    """The tier above ``tier``, or None at the county (the top)."""
    index = TIER_ORDER.index(tier)
    return TIER_ORDER[index + 1] if index + 1 < len(TIER_ORDER) else None


def tier_rank(tier) -> int:
    return TIER_ORDER.index(tier)


# How many steps down the region tree a tier's center sits (the county is the root).
TIER_DEPTH = {Tier.COUNTY: 1, Tier.TOWN: 2, Tier.VILLAGE: 3}

# Groups of place levels, named by what they are for.
# The levels with a statistical code, a center and a tier.
ADMINISTRATIVE_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE)
# Every level a matter can be placed at, in the order a place picker offers them.
PLACE_LEVELS = (RegionLevel.VILLAGE, RegionLevel.GRID, RegionLevel.MICRO_GRID, RegionLevel.TOWN, RegionLevel.COUNTY)
# Below the county: what a citizen's app or the hotline may name (Open311's region).
LOCAL_PLACE_LEVELS = (RegionLevel.TOWN, RegionLevel.VILLAGE, RegionLevel.GRID, RegionLevel.MICRO_GRID)
# What a citizen picks on the public form: their village (community) or grid.
CITIZEN_PLACE_LEVELS = (RegionLevel.VILLAGE, RegionLevel.GRID)

# The tier a region belongs to: grids and micro-grids are handled by their village.
TIER_OF_LEVEL = {
    RegionLevel.COUNTY: Tier.COUNTY,
    RegionLevel.TOWN: Tier.TOWN,
    RegionLevel.VILLAGE: Tier.VILLAGE,
    RegionLevel.GRID: Tier.VILLAGE,
    RegionLevel.MICRO_GRID: Tier.VILLAGE,
}


class OrganisationKind(models.TextChoices):
    CENTER = "center", _("Social governance center")
    DEPARTMENT = "department", _("Stationed department")
    MEDIATION_COMMITTEE = "mediation_committee", _("People's mediation committee")
    INDUSTRY_MEDIATION = "industry_mediation", _("Industry mediation committee")
    STUDIO = "studio", _("Mediation studio")
    COURT_STATION = "court_station", _("Court station")
    LEGAL_AID = "legal_aid", _("Legal aid")
    COUNSELLING = "counselling", _("Psychological counselling")


class StationMode(models.TextChoices):
    """How a department is stationed at the county center (常驻/轮驻/随驻)."""

    RESIDENT = "resident", _("Resident")
    ROTATING = "rotating", _("Rotating")
    ON_CALL = "on_call", _("On call")


class Role(models.TextChoices):
    CLERK = "clerk", _("Window clerk")
    MEDIATOR = "mediator", _("Mediator")
    GRID_WORKER = "grid_worker", _("Grid worker")
    HANDLER = "handler", _("Handler")
    LEADER = "leader", _("Center leader")
    ADMIN = "admin", _("Administrator")


class CaseKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    PETITION = "petition", _("Petition")
    GRID_EVENT = "grid_event", _("Grid event")
    CONSULTATION = "consultation", _("Consultation")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in visit")
    HOTLINE = "hotline", _("Hotline")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online")
    POLICE_REFERRAL = "police_referral", _("Police referral")
    GRID_REPORT = "grid_report", _("Grid report")
    COURT_REFERRAL = "court_referral", _("Court referral")


class CaseStatus(models.TextChoices):
    """The coarse status every app shares; apps keep their finer steps themselves."""

    REGISTERED = "registered", _("Awaiting triage")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVED = "unresolved", _("Not resolved")
    TERMINATED = "terminated", _("Terminated")
    CLOSED = "closed", _("Closed")


# Matters still being worked on: the deadline sweep and "overdue" only look at these.
OPEN_STATUSES = (CaseStatus.REGISTERED, CaseStatus.IN_PROGRESS)


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    THIRD_PARTY = "third_party", _("Third party")


class EventType(models.TextChoices):
    CREATED = "created", _("Registered")
    DISPATCHED = "dispatched", _("Dispatched")
    STATUS_CHANGED = "status_changed", _("Status changed")
    REMINDED = "reminded", _("Reminder")
    ESCALATED = "escalated", _("Escalated")
    ASSIGNED_DOWN = "assigned_down", _("Assigned down")
    OVERDUE = "overdue", _("Overdue")
    SUPERVISED = "supervised", _("Supervised")
    REPEAT_VISIT = "repeat_visit", _("Repeat visit")
    GRANTED = "granted", _("Access granted")
    ACCESS_ENDED = "access_ended", _("Access ended")
    NOTE = "note", _("Note")
    RISK_FLAGGED = "risk_flagged", _("Risk of extreme action flagged")
    JOINT_MEDIATION = "joint_mediation", _("Joint mediation")
    LEADER_OWNERSHIP = "leader_ownership", _("Leader ownership")
    LINKED = "linked", _("Linked")
    # An app's own step (a mediation session, a grid event's verification, a petition's
    # acceptance...): ``data["app"]`` and ``data["step"]`` say which; the note says it in words.
    STEP = "step", pgettext_lazy("timeline", "Step")


class GrantPurpose(models.TextChoices):
    """Why a person was given a matter: some grants end with what they were for."""

    STANDING = "", _("Until withdrawn")
    JOINT_MEDIATION = "joint_mediation", _("Joint mediation")  # ends when the matter leaves the open statuses
    LEADER_OWNERSHIP = "leader_ownership", _("Leader ownership")


class Signal(models.TextChoices):
    """What can escalate a matter at once, without waiting for its deadline."""

    POLICE_REFERRAL = "police_referral", _("Repeated police referrals")
    EXTREME_RISK = "extreme_risk", _("Risk of extreme action")


class NotificationKind(models.TextChoices):
    REMINDED = "reminded", _("Reminder")
    ESCALATED = "escalated", _("Escalated")
    ESCALATED_AWAY = "escalated_away", _("Escalated away")
    OVERDUE = "overdue", _("Overdue")
    SUPERVISED = "supervised", _("Supervised")
    DISPATCHED = "dispatched", _("Dispatched")
    ASSIGNED_DOWN = "assigned_down", _("Assigned down")
    # An app's message: its note is the whole text ("a session was booked for ...").
    MESSAGE = "message", _("Message")
