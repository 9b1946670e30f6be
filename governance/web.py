"""Small helpers every app's pages share: posted ids, running a write service for
a page, and Bootstrap classes on form fields."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from governance.cases import services as case_services


def posted_id(value) -> int:
    """A posted id, or 0 (matches nothing) for anything that is not a number."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else 0


def write_then_redirect(request, write, *, success, to):
    """Run a write service for a page: 404 outside the scope, 403 when seen but not
    the person's to change, a refusal's reason as a message; then go to ``to``."""
    try:
        write()
    except case_services.CaseNotFound:
        raise Http404 from None
    except case_services.CaseChangeForbidden as error:
        raise PermissionDenied(str(error)) from None  # 403.html, with the reason
    except case_services.InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return to


def style_fields(fields):
    """Bootstrap classes on form fields: a select looks like one, the rest are controls."""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a page that expired, said in the site's layout and language
    (Django's own page is English and technical)."""
    if _is_api(request):
        from django.utils.translation import gettext as _

        return _api_error(403, _("CSRF check failed: send the API token in the Authorization header."))
    return render(request, "403_csrf.html", status=403)


# Error pages. Under /api/ the answer is JSON, as the schema documents ({"detail": ...});
# elsewhere Django's handlers render the Chinese templates (templates/400.html ...).
def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(status, message):
    from django.http import JsonResponse

    return JsonResponse({"detail": str(message)}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception):
    from django.utils.translation import gettext as _
    from django.views import defaults

    if _is_api(request):
        return _api_error(400, _("The request could not be understood."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    from django.utils.translation import gettext as _
    from django.views import defaults

    if _is_api(request):
        return _api_error(403, str(exception) if str(exception) else _("You may not do this."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    from django.utils.translation import gettext as _
    from django.views import defaults

    if _is_api(request):
        return _api_error(404, _("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request):
    from django.utils.translation import gettext as _
    from django.views import defaults

    if _is_api(request):
        return _api_error(500, _("Something went wrong on the server; nothing was changed. Please try again."))
    return defaults.server_error(request)
