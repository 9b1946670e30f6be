"""Every model of the core, for Django (which imports ``governance.models``) and for
callers that want one import. Each lives in the subpackage of its domain."""
from governance.accounts.models import ApiToken
from governance.cases.models import (
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseNumberSequence,
    CaseText,
    CaseUserObjectPermission,
    Category,
    Party,
)
from governance.dashboards.models import Bulletin, EarlyWarning, MatterDay, RollupState, WarningRule
from governance.notifications.models import Notification
from governance.organisations.models import Organisation
from governance.people.models import User
from governance.places.models import Region
from governance.privacy.models import AccessAction, AccessLogEntry, PersonalField
from governance.supervision.models import SignalRule
from governance.timers.models import Clock, ClockOutcome, HolidaySchedule, LimitUnit, TierRule, WorkdayOverride

__all__ = [
    "AccessAction",
    "AccessLogEntry",
    "ApiToken",
    "PersonalField",
    "Bulletin",
    "EarlyWarning",
    "MatterDay",
    "RollupState",
    "WarningRule",
    "Case",
    "CaseEvent",
    "CaseGroupObjectPermission",
    "CaseNumberSequence",
    "CaseText",
    "CaseUserObjectPermission",
    "Category",
    "Clock",
    "ClockOutcome",
    "HolidaySchedule",
    "LimitUnit",
    "Notification",
    "Organisation",
    "Party",
    "Region",
    "SignalRule",
    "TierRule",
    "User",
    "WorkdayOverride",
]
