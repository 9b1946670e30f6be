"""Pages of the public channel: register a dispute, see it was received, follow it.
No login; CSRF on; limits per address and phone instead of a CAPTCHA."""
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import _get_ip as ratelimit_ip
from django_ratelimit.core import is_ratelimited

from governance import ratelimit
from governance.choices import CaseKind, Channel, PartyRole
from governance.models import Case
from intake.public import ratelimit as limits
from intake.public.forms import PRIVACY_NOTICE_VERSION, StatusForm, SubmitForm, place_options
from intake.selectors import public_case, public_timeline
from intake.services import intake_register

TOO_MANY = 429
RECEIPT_SALT = "intake.public.submitted"
RECEIPT_MAX_AGE = 60 * 60  # the confirmation page's link works for an hour

# Each registration counts against the address and against the mobile number.
SUBMIT_LIMITS = (
    ("intake.public.submit:ip", "ip", limits.submit_rate_ip),
    ("intake.public.submit:phone", limits.phone_key, limits.submit_rate_phone),
)


def _over_submit_limit(request) -> bool:
    """Count this registration; True if the address or the phone is over its limit.
    Called only for a valid form, so a citizen correcting mistakes is not locked out;
    counted before saving (an atomic INCR), so concurrent posts cannot slip past."""
    hits = [is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
            for group, key, rate in SUBMIT_LIMITS]
    request.limited = any(hits)
    return request.limited


def _register(form) -> Case:
    data = form.cleaned_data
    return intake_register(
        actor=None, channel=Channel.ONLINE, kind=CaseKind.DISPUTE, category=data["category"],
        region=data["place"], address=data["address"], narrative=data["narrative"], dispatch=True,
        parties=[{"role": PartyRole.APPLICANT, "name": data["name"], "phone": data["phone"],
                  "id_number": data["id_number"]}],
        consent_notice=PRIVACY_NOTICE_VERSION,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method == "GET":
        return render(request, "intake/public/submit.html", {"form": SubmitForm()})
    if "find_place" in request.POST:
        # The place search button (without JavaScript; also Enter in any box, as the
        # form's first button): narrow the places, keep what was typed, register nothing.
        return render(request, "intake/public/submit.html", {"form": SubmitForm(initial=request.POST.dict())})
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/public/submit.html", {"form": form})
    if _over_submit_limit(request):
        return render(request, "intake/public/submit.html", {"form": form, "limited": True}, status=TOO_MANY)
    try:
        case = _register(form)
    except ValidationError as error:
        # intake_register refuses a place no center serves yet: say so beside the place.
        about_place = error.message_dict.get("region") if hasattr(error, "error_dict") else None
        form.add_error("place" if about_place else None, about_place or error.messages)
        return render(request, "intake/public/submit.html", {"form": form})
    # Redirect after the POST, so a reload cannot register the matter twice. The number
    # travels signed: the page cannot be opened for someone else's number.
    receipt = signing.dumps(case.number, salt=RECEIPT_SALT)
    return redirect(f"{reverse('public-submitted')}?r={receipt}")


@never_cache
@require_GET
def submitted(request):
    try:
        number = signing.loads(request.GET.get("r", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:  # also an expired link: the status page answers from then on
        return redirect("public-status")
    case = Case.objects.select_related("holder").get(number=number)
    return render(request, "intake/public/submitted.html", {"case": case})


@require_GET
def places(request):
    """The place select's options for what is typed in the search box (htmx). The
    current choice stays selected only if it still matches: the citizen is narrowing."""
    try:
        selected_id = int(request.GET.get("place", ""))
    except ValueError:
        selected_id = None
    options = place_options(q=request.GET.get("place_q", "")[:40])
    return render(request, "intake/public/_place_options.html", {"options": options, "selected_id": selected_id})


@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """Wrong number, unknown number, wrong digits or an empty field: one answer, byte
    for byte, and nothing typed is echoed back, so the page confirms nothing.

    Both limits (per address, per matter number) are counted by governance.ratelimit:
    in Redis, and in PostgreSQL while Redis is down, so guessing never gets easier."""
    template = "intake/public/status.html"
    if request.method == "GET":
        return render(request, template, {"form": StatusForm(initial={"number": request.GET.get("number", "")[:20]})})
    number = request.POST.get("number", "").strip()[:20]
    request.limited = ratelimit.is_limited("public-status-ip", ratelimit_ip(request),
                                           limits.status_rate_ip(None, request))
    # Also a limit per matter number, counted on failed lookups only: guessing the four
    # digits from many addresses stops too. Like a bank card's PIN, the number is then
    # locked for the day for everyone, its owner included (who can still phone the center).
    guessed = number and ratelimit.is_limited("public-status-number", number, limits.status_rate_number(None, request),
                                              increment=False)
    if request.limited or guessed:
        # Refused before any lookup, so keeping the typed number tells nothing.
        form = StatusForm(initial={"number": number})
        return render(request, template, {"form": form, "limited": True}, status=TOO_MANY)
    case = public_case(number=number, phone_last4=request.POST.get("phone_last4", ""))
    if case is None:
        if number:
            ratelimit.is_limited("public-status-number", number, limits.status_rate_number(None, request))
        return render(request, template, {"form": StatusForm(), "not_found": True})
    events = [(event, event.citizen_note) for event in public_timeline(case=case)]
    return render(request, template, {"case": case, "events": events})
