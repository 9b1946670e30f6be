"""The mediation app's writes, one module per part of the work; every function is
keyword-only and atomic, locks the matter then its mediation, checks who may do
it and whether the step is allowed now, and writes the timeline event in the same
transaction. Refusals: CaseNotFound (404), CaseChangeForbidden (403),
InvalidTransition (409; SessionClash names the session that holds a slot),
ValidationError (400)."""
from mediation.services.agreements import (
    agreement_for_print,
    agreement_sign,
    agreement_supersede,
    agreement_update_draft,
    current_agreement,
)
from mediation.services.common import CaseChangeForbidden, CaseNotFound, InvalidTransition, ValidationError
from mediation.services.confirmation import (
    application_last_day,
    confirmation_accept,
    confirmation_apply,
    confirmation_decide,
    confirmation_extend,
)
from mediation.services.followup import (
    mediation_close,
    mediation_follow_up,
    mediation_reopen,
    needs_decision,
    referral_record_outcome,
)
from mediation.services.opening import mediation_accept, mediation_decline, mediation_open
from mediation.services.outcomes import mediation_extend, mediation_fail, mediation_succeed, mediation_terminate
from mediation.services.sessions import SessionClash, minutes_record, session_book, session_cancel

__all__ = [
    "CaseChangeForbidden", "CaseNotFound", "InvalidTransition", "SessionClash", "ValidationError",
    "agreement_for_print", "agreement_sign", "agreement_supersede", "agreement_update_draft",
    "application_last_day", "confirmation_accept", "confirmation_apply", "confirmation_decide",
    "confirmation_extend", "current_agreement", "mediation_accept", "mediation_close", "mediation_decline",
    "mediation_extend", "mediation_fail", "mediation_follow_up", "mediation_open", "mediation_reopen",
    "mediation_succeed", "mediation_terminate", "minutes_record", "needs_decision", "referral_record_outcome",
    "session_book", "session_cancel",
]
