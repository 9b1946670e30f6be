"""Review (复查) and re-review (复核), art. 35: asked for within 30 days of being
served the opinion, decided within 30 days of the request, a re-review's hearing
not counted; the re-review opinion is final (art. 36).

The request is registered by the staff of the organ that received it (the organ
above, e.g. the county government's review office at the petition bureau; never
the organ that replied): the matter moves to their organisation and is reopened
(resolved -> in progress). A re-review (by the organ above the reviewer, often
outside the county's system) is registered and followed by whoever received it;
the organ deciding is recorded by name;
the opinion resolves it again. A request after its window is refused with the
day the window closed, and the refusal stays on the timeline.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.services import case_get_for
from governance.choices import EventType
from governance.supervision.moves import move_locked_case
from governance.timers.models import Clock
from governance.timers.services import clock_pause, clock_resume, running_clock
from petitions import clocks
from petitions.choices import DocumentKind, Period
from petitions.models import PetitionDocument
from petitions.periods import last_day, period_limit, spoken, start_of
from petitions.services.common import (
    HANDLE, HOLDS, SEES, InvalidTransition, WindowClosed, center_language, check_day, check_text,
    follow_statutory_clocks, follow_with_the_matter, lock, record, require,
)
from petitions.services.notices import check_decision_dates, issue_notice, served_text

REVIEW, RE_REVIEW = "review", "re_review"
WINDOW = {REVIEW: clocks.REVIEW_REQUEST, RE_REVIEW: clocks.RE_REVIEW_REQUEST}
DECISION = {REVIEW: clocks.REVIEW, RE_REVIEW: clocks.RE_REVIEW}


def window_last_day(case, which):
    """The last day the petitioner could ask (the window's clock, running or ended)."""
    clock = Clock.objects.filter(case=case, kind=WINDOW[which]).order_by("-started_at", "-id").first()
    return last_day(clock.due_at) if clock else None


def replying_organisation(petition):
    """The organisation that issued the handling opinion (the reply notice)."""
    return (PetitionDocument.objects.filter(petition=petition, kind=DocumentKind.REPLY).order_by("version")
            .values_list("organisation_id", flat=True).first())


def petition_request_review(*, case_id, actor, requested_on, organ=""):
    return _refusal_recorded(_request, case_id=case_id, actor=actor, requested_on=requested_on, organ=organ,
                             which=REVIEW)


def petition_request_re_review(*, case_id, actor, requested_on, organ=""):
    return _refusal_recorded(_request, case_id=case_id, actor=actor, requested_on=requested_on, organ=organ,
                             which=RE_REVIEW)


def _refusal_recorded(service, **arguments):
    """A late request is refused (409) but recorded: the refusal is written in a
    transaction of its own, after the request's own was rolled back."""
    try:
        return service(**arguments)
    except WindowClosed as refusal:
        _record_refusal(case_id=arguments["case_id"], actor=arguments["actor"], which=arguments["which"],
                        asked_on=arguments["requested_on"], closed_on=refusal.closed_on)
        raise


@transaction.atomic
def _record_refusal(*, case_id, actor, which, asked_on, closed_on):
    case = case_get_for(case_id=case_id, actor=actor, action=SEES)
    with center_language():
        record(case, actor=actor, step=f"{which}_refused", note=_late(which, asked_on, closed_on),
               asked_on=asked_on.isoformat(), closed_on=closed_on.isoformat())


def _late(which, asked_on, closed_on) -> str:
    if which == REVIEW:
        text = _("The review asked for on %(asked)s is refused: the %(days)s days to ask for a review after the "
                 "handling opinion was served ended on %(closed)s (art. 35 of the Regulations on Petition Work).")
    else:
        text = _("The re-review asked for on %(asked)s is refused: the %(days)s days to ask for a re-review after "
                 "the review opinion was served ended on %(closed)s (art. 35 of the Regulations on Petition Work).")
    period = Period.REVIEW_REQUEST if which == REVIEW else Period.RE_REVIEW_REQUEST
    return text % {"asked": spoken(asked_on), "closed": spoken(closed_on), "days": period_limit(period).limit}


@transaction.atomic
def _request(*, case_id, actor, requested_on, organ, which):
    case, petition = lock(case_id=case_id, actor=actor, scope=SEES, permission=HANDLE)
    transition = petition.request_review if which == REVIEW else petition.request_re_review
    require(petition, transition, what=_("reviewed") if which == REVIEW else _("re-reviewed"))
    served_on = petition.replied_on if which == REVIEW else petition.reviewed_on
    check_day(requested_on, field="requested_on", not_before=served_on, before_label=_("the date served"))
    closed_on = window_last_day(case, which)
    if closed_on is None or requested_on > closed_on:
        raise WindowClosed(_late(which, requested_on, closed_on or served_on), closed_on or served_on)
    organisation = actor.organisation
    if which == REVIEW and organisation is not None and organisation.pk == replying_organisation(petition):
        raise InvalidTransition(_("The review is asked of the organ above the one that replied; register it "
                                  "there (e.g. the county's review office at the petition bureau)."))
    organ = (organ or "").strip() or (organisation.name if organisation else case.holder.name)
    transition()
    if which == REVIEW:
        petition.review_requested_on, petition.review_organ = requested_on, organ
    else:
        petition.re_review_requested_on, petition.re_review_organ = requested_on, organ
    petition.concluded_on = None
    petition.save()
    clocks.stop(case, WINDOW[which], on=requested_on)
    with center_language():
        asked = (_("Review asked for on %(date)s, by %(organ)s.") if which == REVIEW
                 else _("Re-review asked for on %(date)s, by %(organ)s.")) % {"date": spoken(requested_on),
                                                                              "organ": organ}
    if organisation is not None and organisation.pk != case.holder_id:
        move_locked_case(case, to=organisation, actor=actor, note=asked, event_type=EventType.DISPATCHED,
                         data={"app": "petitions", "step": f"{which}_requested"})
    follow_with_the_matter(case, actor=actor, action="reopen", note=asked)
    decision = clocks.start(case, DECISION[which], requested_on)
    with center_language():
        record(case, actor=actor, step=f"{which}_requested", note=_("%(asked)s It is to be decided by %(due)s.")
               % {"asked": asked, "due": spoken(last_day(decision.due_at))}, requested_on=requested_on.isoformat())
    follow_statutory_clocks(case)
    return petition


@transaction.atomic
def petition_decide_review(*, case_id, actor, opinion, decided_on, served_on, service):
    return _decide(case_id=case_id, actor=actor, opinion=opinion, decided_on=decided_on, served_on=served_on,
                   service=service, which=REVIEW)


@transaction.atomic
def petition_decide_re_review(*, case_id, actor, opinion, decided_on, served_on, service):
    return _decide(case_id=case_id, actor=actor, opinion=opinion, decided_on=decided_on, served_on=served_on,
                   service=service, which=RE_REVIEW)


def _decide(*, case_id, actor, opinion, decided_on, served_on, service, which):
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=HANDLE)
    transition = petition.decide_review if which == REVIEW else petition.decide_re_review
    require(petition, transition, what=_("decided"))
    opinion = check_text(opinion, field="opinion", message=_("Please write the opinion."))
    asked_on = petition.review_requested_on if which == REVIEW else petition.re_review_requested_on
    check_decision_dates(decided_on, served_on, service, after=asked_on, after_label=_("the date asked"))
    transition()
    clocks.stop(case, DECISION[which], on=decided_on)
    extra = {}
    if which == REVIEW:
        petition.reviewed_on = served_on
        window = clocks.start(case, clocks.RE_REVIEW_REQUEST, served_on)
        extra = {"request_until": last_day(window.due_at),
                 "request_days": period_limit(Period.RE_REVIEW_REQUEST).limit}
    else:
        petition.re_reviewed_on = petition.concluded_on = served_on
    petition.save()
    notice = issue_notice(petition, DocumentKind.REVIEW if which == REVIEW else DocumentKind.RE_REVIEW, actor=actor,
                          decided_on=decided_on, served_on=served_on, service=service, opinion=opinion, **extra)
    follow_with_the_matter(case, actor=actor, action="resolve", note=opinion)
    with center_language():
        if which == REVIEW:
            note = _("The review opinion %(number)s was %(served)s. The petitioner may ask for a re-review until "
                     "%(until)s (art. 35).") % {"number": notice.number, "served": served_text(notice),
                                                "until": spoken(extra["request_until"])}
        else:
            note = _("The re-review opinion %(number)s was %(served)s. The petition is final: the same facts are not "
                     "accepted again (art. 36).") % {"number": notice.number, "served": served_text(notice)}
        record(case, actor=actor, step="reviewed" if which == REVIEW else "final", note=note, document=notice.pk)
    follow_statutory_clocks(case)
    return petition


@transaction.atomic
def petition_pause(*, case_id, actor, on, note=""):
    """A hearing in the re-review: its time is not counted (art. 35), so the
    re-review's clock stops from ``on`` until it resumes."""
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=HANDLE)
    require(petition, petition.pause, what=_("paused"))
    clock = running_clock(case=case, kind=clocks.RE_REVIEW)
    if clock is None:
        raise InvalidTransition(_("The re-review period has ended; it cannot be paused."))
    if clock.paused_at is not None:
        raise InvalidTransition(_("The re-review period is already paused since %(date)s.")
                                % {"date": spoken(timezone.localtime(clock.paused_at).date())})
    check_day(on, field="on", not_before=petition.re_review_requested_on, before_label=_("the date asked"))
    if on > last_day(clock.due_at):
        raise InvalidTransition(_("The re-review period ended on %(date)s, before the hearing.")
                                % {"date": spoken(last_day(clock.due_at))})
    clock_pause(case=case, kind=clocks.RE_REVIEW, at=start_of(on))
    with center_language():
        record(case, actor=actor, step="paused", note=_(
            "A hearing began on %(date)s: its time is not counted in the re-review period (art. 35). %(note)s")
            % {"date": spoken(on), "note": (note or "").strip()}, on=on.isoformat())
    follow_statutory_clocks(case)
    return petition


@transaction.atomic
def petition_resume(*, case_id, actor, on, note=""):
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=HANDLE)
    require(petition, petition.resume, what=_("resumed"))
    clock = running_clock(case=case, kind=clocks.RE_REVIEW)
    if clock is None or clock.paused_at is None:
        raise InvalidTransition(_("The re-review period is not paused."))
    paused_on = timezone.localtime(clock.paused_at).date()
    check_day(on, field="on", not_before=paused_on, before_label=_("the hearing's first day"))
    clock = clock_resume(case=case, kind=clocks.RE_REVIEW, at=start_of(on))
    with center_language():
        record(case, actor=actor, step="resumed", note=_(
            "The hearing ended on %(date)s; %(days)s days were not counted. The re-review is due by %(due)s. %(note)s")
            % {"date": spoken(on), "days": (on - paused_on).days, "due": spoken(last_day(clock.due_at)),
               "note": (note or "").strip()}, on=on.isoformat())
    follow_statutory_clocks(case)
    return petition

