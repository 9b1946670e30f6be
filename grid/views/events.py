"""An event's page and its steps: each step a small form that shows only to whoever
may take it; a refusal comes back on the page with what was typed kept."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.cases.selectors import case_timeline
from governance.choices import EventType as TimelineType
from governance.models import Organisation, User
from governance.web import posted_id
from grid import selectors
from grid.choices import LOOP, TIMELINE_STEPS, EventStatus, Rating
from grid.models import EventType, Reward, RewardRate
from grid.services import loop, pushes, rewards
from grid.services.common import (
    HANDLE, SUPERVISE, URGE, is_center, is_handler, is_reporter,
)
from grid.services.pushes import JOINT_OPEN
from grid.views.common import Refused, forbidden, run
from intake.routing import dispatch_targets

S = EventStatus


@permission_required("grid.view_gridevent", raise_exception=True)
def event_list(request):
    events = selectors.event_list(user=request.user, status=request.GET.get("status", ""),
                                  overdue=request.GET.get("overdue") == "1", event_type=request.GET.get("type", ""),
                                  grid=request.GET.get("grid", ""))
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "grid/event_list.html", {
        "page": page, "statuses": S.choices, "types": EventType.objects.all(),
        "status": request.GET.get("status", ""), "overdue": request.GET.get("overdue") == "1",
        "type": request.GET.get("type", "")})


def grid_timeline(event):
    """The matter's timeline as the grid page shows it: each grid step named, and
    without the matter's own status changes that mirror a grid step."""
    entries = list(case_timeline(case=event.case).exclude(type=TimelineType.STATUS_CHANGED, data__app="grid"))
    for entry in entries:
        entry.step_label = TIMELINE_STEPS.get(entry.data.get("step")) if entry.data.get("app") == "grid" else None
    return entries


def dispatch_choices(event):
    """(value, label, group) for the dispatch select: the center's own staff who
    handle, each body serving the place, and each of that body's handlers."""
    case = event.case
    # Stationed departments first (most grid events go to one), then the other bodies.
    bodies = sorted((body for body in dispatch_targets(region=case.region) if body.kind != "center"),
                    key=lambda body: (body.kind != "department", body.name))
    people = (User.objects.filter(is_active=True, organisation__in=[case.holder, *bodies])
              .select_related("organisation").order_by("organisation__name", "username"))
    handlers = [person for person in people if person.has_perm(HANDLE)]
    own = [(f"user:{p.pk}", f"{p.display_name}（{p.get_role_display()}）") for p in handlers
           if p.organisation_id == case.holder_id]
    groups = [(_("The center's own staff"), own)] if own else []
    for body in bodies:
        options = [(f"org:{body.pk}", _("%(body)s (its desk)") % {"body": body.name})]
        options += [(f"user:{p.pk}", f"{body.short_name or body.name} · {p.display_name}")
                    for p in handlers if p.organisation_id == body.pk]
        groups.append((body.name, options))
    return groups, bodies


def _context(request, event, *, errors=None, posted=None):
    user = request.user
    status = event.status
    center = is_center(user, event)
    context = {
        "event": event, "case": event.case, "loop": LOOP, "errors": errors or {}, "posted": posted or {},
        "events": grid_timeline(event),
        "photos": list(event.photos.all()), "parts": list(event.joint_parts.all()), "urges": list(event.urges.all()),
        "reward": Reward.objects.filter(event=event).select_related("rate").first(),
        "center": center, "ratings": Rating.choices,
        "can": {
            "register": center and status == S.REPORTED,
            "dispatch": center and status == S.REGISTERED,
            "handle": is_handler(user, event) and status == S.DISPATCHED,
            "feedback": is_handler(user, event) and status == S.HANDLING,
            "send_back": is_handler(user, event) and status in (S.DISPATCHED, S.HANDLING),
            "verify": (is_reporter(user, event) or center) and status == S.FED_BACK,
            "close": center and status == S.VERIFIED,
            "evaluate": center and status == S.CLOSED,
            "urge": user.has_perm(URGE) and event.is_open,
            "supervise": user.has_perm(SUPERVISE) and event.is_open,
            "joint": center and status in JOINT_OPEN,
            "photos": event.reporter_id == user.pk and status not in (S.CLOSED, S.EVALUATED, S.DECLINED),
        },
    }
    can = context["can"]
    can["part"] = next((part for part in context["parts"] if part.organisation_id == user.organisation_id
                        and part.done_at is None), None) if user.has_perm(HANDLE) and status in JOINT_OPEN else None
    can["reward"] = (user.has_perm("grid.add_reward") and center and context["reward"] is None
                     and status not in (S.REPORTED, S.DECLINED))
    if can["dispatch"] or can["joint"]:
        context["dispatch_groups"], context["bodies"] = dispatch_choices(event)
    if can["reward"]:
        context["rates"] = RewardRate.objects.filter(is_active=True)
    return context


def _event(request, event_id):
    try:
        return selectors.event_get(user=request.user, event_id=event_id)
    except selectors.GridEvent.DoesNotExist:
        raise Http404 from None


@login_required
def event_detail(request, event_id):
    return render(request, "grid/event.html", _context(request, _event(request, event_id)))


def _target(value):
    """'org:12' / 'user:34' from the dispatch select -> (organisation, assignee)."""
    kind, _sep, pk = str(value or "").partition(":")
    if kind == "org":
        return Organisation.objects.filter(pk=posted_id(pk), is_active=True).first(), None
    if kind == "user":
        person = User.objects.filter(pk=posted_id(pk)).select_related("organisation").first()
        return (person.organisation if person else None), person
    return None, None


def _photos(request):
    return request.FILES.getlist("photos")


def _write(request, event_id, action):
    post, actor = request.POST, request.user
    arguments = {"event_id": event_id, "actor": actor}
    if action == "register":
        return lambda: loop.event_register(note=post.get("note", ""), **arguments)
    if action == "decline":
        return lambda: loop.event_decline(reason=post.get("reason", ""), **arguments)
    if action == "dispatch":
        organisation, assignee = _target(post.get("to"))
        joint = list(Organisation.objects.filter(pk__in=[posted_id(v) for v in post.getlist("joint")]))
        return lambda: loop.event_dispatch(organisation=organisation, assignee=assignee, joint=joint,
                                           instruction=post.get("instruction", ""), **arguments)
    if action == "handle":
        return lambda: loop.event_handle(note=post.get("note", ""), **arguments)
    if action == "send_back":
        return lambda: loop.event_send_back(reason=post.get("reason", ""), **arguments)
    if action == "feedback":
        return lambda: loop.event_feedback(note=post.get("note", ""), photos=_photos(request), **arguments)
    if action == "verify":
        return lambda: loop.event_verify(passed=post.get("passed") == "yes", note=post.get("note", ""),
                                         photos=_photos(request), **arguments)
    if action == "close":
        return lambda: loop.event_close(note=post.get("note", ""), **arguments)
    if action == "evaluate":
        return lambda: loop.event_evaluate(rating=post.get("rating"), note=post.get("note", ""), **arguments)
    if action == "urge":
        return lambda: pushes.event_urge(note=post.get("note", ""), **arguments)
    if action == "supervise":
        return lambda: pushes.event_supervise(instruction=post.get("instruction", ""), **arguments)
    if action == "joint":
        bodies = list(Organisation.objects.filter(pk__in=[posted_id(v) for v in post.getlist("joint")]))
        return lambda: pushes.event_add_joint(organisations=bodies, note=post.get("note", ""), **arguments)
    if action == "part":
        return lambda: pushes.event_record_part(note=post.get("note", ""), photos=_photos(request), **arguments)
    if action == "reward":
        rate = RewardRate.objects.filter(pk=posted_id(post.get("rate"))).first()
        return lambda: rewards.reward_give(rate=rate, note=post.get("note", ""), **arguments)
    raise Http404


DONE = {
    "register": _("Registered."), "decline": _("Not registered; the worker is told why."),
    "dispatch": _("Dispatched."), "send_back": _("Sent back to the center."), "handle": _("Handling started."),
    "feedback": _("Fed back."),
    "verify": _("Verification recorded."), "close": _("Closed."), "evaluate": _("Evaluated."),
    "urge": _("Urged."), "supervise": _("Supervised."), "joint": _("Bodies asked to take part."),
    "part": _("Your part is recorded."), "reward": _("Reward given."),
}


@login_required
@require_POST
def event_action(request, event_id, action):
    write = _write(request, event_id, action)
    try:
        _result, errors = run(write)
    except Refused as error:
        return forbidden(error)
    if not errors:
        messages.success(request, str(DONE[action]))
        return redirect("grid-event", event_id=event_id)
    if "state" in errors:  # out of order (someone else took the step): the page as it is now
        messages.error(request, " ".join(errors["state"]))
        return redirect("grid-event", event_id=event_id)
    if request.FILES:
        errors.setdefault("photos", []).append(
            _("For safety the browser does not keep chosen files: please choose them again."))
    context = _context(request, _event(request, event_id), errors={"action": action, **errors},
                       posted=request.POST)
    return render(request, "grid/event.html", context, status=400)

