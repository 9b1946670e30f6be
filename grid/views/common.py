"""What the grid pages share: running a write service and answering its refusals."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseForbidden

from grid.services import CaseChangeForbidden, CaseNotFound, InvalidTransition


class Refused(Exception):
    """A write refused for the person (the message for the page)."""


def error_messages(error: ValidationError) -> dict:
    """{field or "general": [messages]} from a ValidationError."""
    if hasattr(error, "error_dict"):
        return {("general" if field == "__all__" else field): [str(m) for e in errors for m in e.messages]
                for field, errors in error.error_dict.items()}
    return {"general": [str(m) for m in error.messages]}


def run(write):
    """(result, None) or (None, errors dict) for bad input; 404 raised, 403 as
    Refused, a state refusal (409) as {"state": [message]}."""
    try:
        return write(), None
    except CaseNotFound:
        raise Http404 from None
    except (CaseChangeForbidden, PermissionDenied) as error:
        raise Refused(str(error)) from None
    except InvalidTransition as error:
        return None, {"state": [str(error)]}
    except ValidationError as error:
        return None, error_messages(error)


def forbidden(error: Refused):
    return HttpResponseForbidden(str(error))
