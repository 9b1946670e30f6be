"""/open311/v2/: every resource by its extension (.json or .xml), as the spec
names them; without one, ``?format=`` or XML."""
from django.urls import path, re_path

from intake.open311 import views

app_name = "open311"

FORMAT = r"(?:\.(?P<fmt>json|xml))?$"
# Case numbers (2026-000123), category codes (slugs) and tokens (hex).
IDENTIFIER = r"[-\w]+?"

urlpatterns = [
    # The spec suggests serving the discovery document at the endpoint's root too.
    path("", views.discovery, name="root"),
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.services, name="services"),
    re_path(rf"^services/(?P<service_code>{IDENTIFIER})" + FORMAT, views.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(rf"^requests/(?P<service_request_id>{IDENTIFIER})" + FORMAT, views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>{IDENTIFIER})" + FORMAT, views.token, name="token"),
    # Anything else under /open311/v2/ answers 404 in the spec's error format, not an HTML page.
    re_path(r"^(?P<path>.*?)" + FORMAT, views.not_found),
]
