"""The grid app's writes. Each is keyword-only and atomic where it writes rows:
it locks the matter first and then the event (the order the sweep uses), checks
who may (404 outside the person's view, 403 seen but not theirs, 409 out of
order: the core's CaseNotFound / CaseChangeForbidden / InvalidTransition), and
writes the timeline event in the same transaction. Photos are written before any
lock is taken."""
from governance.cases.services import CaseChangeForbidden, CaseNotFound, InvalidTransition

__all__ = ["CaseChangeForbidden", "CaseNotFound", "InvalidTransition"]
