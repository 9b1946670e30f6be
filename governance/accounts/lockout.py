"""django-axes' view of the caller: the same address the rate limits count."""


def client_ip(request):
    from governance.privacy.services import client_address

    return client_address(request)


def locked_out(request, credentials, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: the API gets JSON (as its schema documents), pages the
    Chinese lockout page; both with 429."""
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Too many failed logins: this account or this address is locked for a "
                                         "while. Try again later, or ask an administrator to unlock it.")},
                            status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "registration/locked_out.html", status=429)
