"""The mediation app's models, one module per part of the work."""
from mediation.models.agreements import Agreement, AgreementTemplate, JudicialConfirmation
from mediation.models.mediations import AccessGrant, Mediation, MediationRules, TeamMember
from mediation.models.outcomes import CourtReferral, FollowUp
from mediation.models.people import MediatorProfile, Room
from mediation.models.records import SubsidyRate
from mediation.models.sessions import Minutes, Session, SessionSeat

__all__ = [
    "AccessGrant", "Agreement", "AgreementTemplate", "CourtReferral", "FollowUp",
    "JudicialConfirmation", "Mediation", "MediationRules", "MediatorProfile", "Minutes", "Room", "Session",
    "SessionSeat", "SubsidyRate", "TeamMember",
]
