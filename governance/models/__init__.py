from .cases import (
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseNumberSequence,
    CaseUserObjectPermission,
    Category,
    Party,
)
from .organisations import Organisation
from .people import User
from .regions import Region
from .notifications import Notification
from .rules import LimitUnit, SignalRule, TierRule
from .workdays import WorkdayOverride

__all__ = [
    "Case",
    "CaseEvent",
    "CaseGroupObjectPermission",
    "CaseNumberSequence",
    "CaseUserObjectPermission",
    "Category",
    "Organisation",
    "Party",
    "LimitUnit",
    "Notification",
    "Region",
    "SignalRule",
    "TierRule",
    "User",
    "WorkdayOverride",
]
