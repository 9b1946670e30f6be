"""Thin Open311 views: parse, call a selector or the service, render.

Plain Django views rather than DRF ones: the API's defaults (token or session
login required) do not apply to Open311, which is public for reading, and
checks its own api_key for writing."""
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from intake.models import ApiKey
from intake.open311 import selectors, serializers
from intake.open311.errors import Open311Error
from intake.open311.forms import RequestQueryForm, ServiceRequestForm, form_error
from intake.open311.rendering import CONTENT_TYPES, render, render_error
from intake.open311.services import open311_submit


def open311(*methods):
    """The format from the extension, else ``?format=``, else XML (the spec's
    required one); the allowed methods; no CSRF check (API clients send no
    cookies, and POST carries its api_key); Open311Error in the spec's format."""
    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, fmt=None, **kwargs):
            fmt = fmt or request.GET.get("format") or "xml"
            if fmt not in CONTENT_TYPES:
                return render_error("xml", Open311Error(
                    400, _("Unknown format “%(format)s”: use json or xml.") % {"format": fmt[:20]}))
            if request.method not in methods:
                response = render_error(fmt, Open311Error(
                    405, _("This resource does not accept %(method)s.") % {"method": request.method}))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, *args, **kwargs)
            except Open311Error as error:
                return render_error(fmt, error)
        return wrapper
    return decorate


@open311("GET")
def discovery(request, fmt):
    endpoint = request.build_absolute_uri(reverse("open311:root")).rstrip("/")
    return render(fmt, "discovery", serializers.discovery(endpoint_url=endpoint, production=not settings.DEBUG))


@open311("GET")
def services(request, fmt):
    return render(fmt, "services", [serializers.service(category) for category in selectors.services()])


def _service(code):
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = selectors.service_get(code)
    if category is None:
        raise Open311Error(404, _("No service has the code “%(code)s”.") % {"code": code[:60]})
    return category


@open311("GET")
def service_definition(request, fmt, service_code):
    return render(fmt, "service_definition", serializers.service_definition(_service(service_code)))


def _api_key(key):
    if not key:
        raise Open311Error(403, _("api_key was not provided: submitting needs a key."))
    api_key = ApiKey.objects.filter(key=key, is_active=True).first()
    if api_key is None:
        raise Open311Error(403, _("This api_key is not valid or no longer active."))
    return api_key


def _reader_key(request):
    """GET's optional api_key: without one, only the status fields are shown; with a
    valid one, its own submissions in full. A wrong key is refused, not ignored."""
    key = request.GET.get("api_key", "")
    return _api_key(key) if key else None


def _submit(request, fmt):
    api_key = _api_key(request.POST.get("api_key", ""))
    # One client's runaway loop must not flood the centers: a limit per key.
    if is_ratelimited(request, group="open311-submit", key=lambda group, request: api_key.key,
                      rate=lambda group, request: settings.OPEN311_SUBMIT_RATE_KEY, method="POST", increment=True):
        raise Open311Error(429, _("Too many submissions with this api_key; please try again later."))
    category = _service(request.POST.get("service_code", "").strip())
    form = ServiceRequestForm.from_post(request.POST)
    if not form.is_valid():
        raise form_error(form)
    try:
        intake = open311_submit(api_key=api_key, category=category, **form.submission())
    except ValidationError as error:  # e.g. no center serves the place yet
        raise Open311Error(400, *error.messages) from None
    return render(fmt, "service_requests", [serializers.receipt(intake)])


@open311("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _submit(request, fmt)
    query = RequestQueryForm.from_query(request.GET)
    if not query.is_valid():
        raise form_error(query)
    caller = _reader_key(request)
    cases = selectors.request_list(**query.cleaned_data)
    return render(fmt, "service_requests", [serializers.service_request(case, caller) for case in cases])


@open311("GET")
def request_detail(request, fmt, service_request_id):
    case = selectors.request_get(service_request_id)
    if case is None:
        raise Open311Error(404, _("No service request has the ID “%(id)s”.") % {"id": service_request_id})
    return render(fmt, "service_requests", [serializers.service_request(case, _reader_key(request))])


@open311("GET")
def token(request, fmt, token):
    intake = selectors.token_get(token)
    if intake is None:
        raise Open311Error(404, _("No service request has the token “%(token)s”.") % {"token": token})
    return render(fmt, "service_requests", [serializers.token_reply(intake)])


@open311("GET", "POST")
def not_found(request, fmt, path=""):
    raise Open311Error(404, _("There is no Open311 resource here; see discovery.xml."))
