"""The public channel's abuse guard, in place of a CAPTCHA: django-ratelimit counters
in the Redis cache. Rates are read from settings on every request (not at import), so
a county's environment or a test can change them."""
import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError

from intake.validators import clean_phone


def submit_rate_ip(group, request):
    return settings.PUBLIC_SUBMIT_RATE_IP


def submit_rate_phone(group, request):
    return settings.PUBLIC_SUBMIT_RATE_PHONE


def status_rate_ip(group, request):
    return settings.PUBLIC_STATUS_RATE_IP


def status_rate_number(group, request):
    return settings.PUBLIC_STATUS_RATE_NUMBER


def phone_key(group, request):
    """The posted mobile number in its national form, so that "138 1234 5678" and
    "+86 13812345678" count against one limit."""
    raw = request.POST.get("phone", "")
    try:
        return clean_phone(raw, mobile_only=True)
    except ValidationError:
        return raw.strip()


def forwarded_for_ip(request):
    """For RATELIMIT_IP_META_KEY behind the county's reverse proxy: the last address of
    X-Forwarded-For, the one the proxy appended. Earlier entries come from the client
    and can be forged to dodge the limit. Without a usable header: REMOTE_ADDR."""
    last = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return request.META["REMOTE_ADDR"]
