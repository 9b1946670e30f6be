"""The petitions app's writes: registration, the statutory steps, notices,
receptions and leader ownership (one module each)."""
from petitions.services.common import CaseChangeForbidden, CaseNotFound, InvalidTransition, WindowClosed
from petitions.services.notices import document_correct, document_serve
from petitions.services.registration import Registered, petition_open, petition_register
from petitions.services.reviews import (
    petition_decide_re_review, petition_decide_review, petition_pause, petition_request_re_review,
    petition_request_review, petition_resume,
)
from petitions.services.steps import (
    petition_accept, petition_extend, petition_forward, petition_not_accept, petition_reply, petition_send_back,
)

__all__ = [
    "CaseChangeForbidden", "CaseNotFound", "InvalidTransition", "Registered", "WindowClosed", "document_correct",
    "document_serve", "petition_accept", "petition_decide_re_review", "petition_decide_review", "petition_extend",
    "petition_forward", "petition_not_accept", "petition_open", "petition_pause", "petition_register",
    "petition_reply", "petition_request_re_review", "petition_request_review", "petition_resume",
    "petition_send_back",
]
