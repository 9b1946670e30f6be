"""The first statutory steps: forward (art. 22), send back a wrongly routed item
and decide on acceptance (art. 23), extend and reply (art. 34).

How the steps move the shared matter (``case_change_status``, which checks the
actor's right on what their organisation holds; skipped when staff already moved
it on the matter's page, so that never blocks a statutory step):
- forwarding a registered petition accepts the matter (registered -> in
  progress) as a dispatch does, and moves it to the responsible body;
- acceptance by a body that registered it itself accepts the matter likewise;
- not accepted terminates the matter, with the reason (it is not handled);
- the reply resolves the matter: the petition is answered. A review request
  reopens it and the review opinion resolves it again (``services.reviews``).
Every function is keyword-only and atomic: the matter is locked, then the
petition, and the timeline is written in the same transaction.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.cases.grants import open_case_to
from governance.choices import EventType, GrantPurpose
from governance.organisations.models import Organisation
from governance.people.models import User
from governance.supervision.moves import move_locked_case
from governance.timers.calendar import add_working_days
from governance.timers.services import clock_extend, running_clock
from petitions import clocks
from petitions.choices import DocumentKind, Ground, Period
from petitions.periods import last_day, period_limit, spoken, start_of
from petitions.services.common import (
    APPROVE_EXTENSION, FORWARD, HANDLE, HOLDS, InvalidTransition, center_language, check_day, check_text,
    follow_statutory_clocks, follow_with_the_matter, is_petition_office, lock, record, require,
)
from petitions.services.notices import check_decision_dates, issue_notice, served_text


@transaction.atomic
def petition_forward(*, case_id, actor, to, forwarded_on, note=""):
    """转送、交办 (art. 22): the petition office hands the petition to the body
    responsible, which then has the acceptance period (counted from the day it
    received it) and may send back a wrongly routed item within 5 working days.
    The office's staff keep seeing the matter to follow it up."""
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=FORWARD)
    require(petition, petition.forward, what=_("forwarded"))
    if not is_petition_office(case.holder_id):
        raise InvalidTransition(_("Only a petition office forwards petitions; decide on acceptance instead."))
    check_day(forwarded_on, field="forwarded_on", not_before=petition.received_on,
              before_label=_("the date received"))
    county = case.region.county_path
    if (to is None or not to.is_active or to.pk == case.holder_id
            or not Organisation.objects.filter(pk=to.pk, region__path__startswith=county).exists()):
        raise ValidationError({"to": _("Choose another active organisation of this county.")})
    petition.forward()
    petition.forwarded_on, petition.forwarded_to = forwarded_on, to
    petition.send_back_until = add_working_days(start_of(forwarded_on),
                                                period_limit(Period.SEND_BACK).limit).date()
    petition.save()
    with center_language():
        text = _("Forwarded to %(to)s on %(date)s.") % {"to": to.name, "date": spoken(forwarded_on)}
    case = follow_with_the_matter(case, actor=actor, action="accept", note=text)
    office_staff = User.objects.filter(organisation_id=case.holder_id, is_active=True)
    open_case_to(case, office_staff, purpose=GrantPurpose.STANDING, can_change=False)
    move_locked_case(case, to=to, actor=actor, note=(note or "").strip() or text, event_type=EventType.DISPATCHED,
                     data={"app": "petitions", "step": "forward"})
    clocks.stop(case, clocks.FORWARD, on=forwarded_on)
    acceptance = clocks.start(case, clocks.ACCEPTANCE, forwarded_on)
    with center_language():
        record(case, actor=actor, step="forwarded", note=_(
            "%(text)s It must tell the petitioner in writing by %(due)s whether it accepts the petition (art. 23); "
            "a wrongly routed item can be sent back until %(back)s.") % {
            "text": text, "due": spoken(last_day(acceptance.due_at)), "back": spoken(petition.send_back_until)},
            to=to.pk, forwarded_on=forwarded_on.isoformat())
    follow_statutory_clocks(case)
    return petition


@transaction.atomic
def petition_send_back(*, case_id, actor, sent_on, reason):
    """A body that is not responsible sends a forwarded item back to the petition
    office within 5 working days (art. 23); the office forwards it again, its
    forwarding period counted afresh from the day it came back."""
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=HANDLE)
    require(petition, petition.send_back, what=_("sent back"))
    reason = check_text(reason, field="reason", message=_("Please say why the item is not yours to handle."))
    check_day(sent_on, field="sent_on", not_before=petition.forwarded_on, before_label=_("the date forwarded"))
    if sent_on > petition.send_back_until:
        raise InvalidTransition(_("A wrongly routed item can be sent back within 5 working days of receipt; that "
                                  "ended on %(date)s. Decide on acceptance instead.")
                                % {"date": spoken(petition.send_back_until)})
    office = petition.office or Organisation.objects.get(pk=case.holder_id)
    petition.send_back()
    petition.forwarded_on = petition.forwarded_to = petition.send_back_until = None
    petition.save()
    clocks.cancel(case, clocks.ACCEPTANCE)
    move_locked_case(case, to=office, actor=actor, note=reason, event_type=EventType.DISPATCHED,
                     data={"app": "petitions", "step": "sent_back"})
    forward = clocks.start(case, clocks.FORWARD, sent_on)
    with center_language():
        record(case, actor=actor, step="sent_back", note=_(
            "Sent back to %(office)s on %(date)s as not ours to handle: %(reason)s. It is to be forwarded again by "
            "%(due)s.") % {"office": office.name, "date": spoken(sent_on), "reason": reason,
                           "due": spoken(last_day(forward.due_at))}, public=False)
    follow_statutory_clocks(case)
    return petition


@transaction.atomic
def petition_accept(*, case_id, actor, decided_on, served_on, service, note=""):
    """受理 (art. 23): the body accepts and tells the petitioner in writing (the
    acceptance notice, served); the reply is due within 60 days of acceptance (art. 34)."""
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=HANDLE)
    require(petition, petition.accept, what=_("accepted"))
    check_decision_dates(decided_on, served_on, service, after=petition.forwarded_on or petition.received_on,
                    after_label=_("the date it reached this body"))
    petition.accept()
    petition.accepted_on = decided_on
    petition.save()
    clocks.stop(case, clocks.FORWARD, clocks.ACCEPTANCE, on=served_on)  # decided and told in writing (art. 23)
    reply = clocks.start(case, clocks.REPLY, decided_on)
    with center_language():
        case = follow_with_the_matter(case, actor=actor, action="accept", note=_("Petition accepted."))
    notice = issue_notice(petition, DocumentKind.ACCEPTANCE, actor=actor, decided_on=decided_on,
                          served_on=served_on, service=service, reply_due=last_day(reply.due_at))
    with center_language():
        record(case, actor=actor, step="accepted", note=_(
            "Accepted on %(date)s; the acceptance notice %(number)s was %(served)s. The reply is due by %(due)s "
            "(art. 34).") % {"date": spoken(decided_on), "number": notice.number, "served": served_text(notice),
                             "due": spoken(last_day(reply.due_at))}, document=notice.pk)
    follow_statutory_clocks(case)
    return petition


@transaction.atomic
def petition_not_accept(*, case_id, actor, decided_on, reason, proper_channel, served_on, service, note=""):
    """不予受理: the reason and the proper channel, recorded and told in writing."""
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=HANDLE)
    require(petition, petition.not_accept, what=_("refused"))
    reason = check_text(reason, field="reason", message=_("Please give the reason it is not accepted."))
    proper_channel = check_text(proper_channel, field="proper_channel",
                                message=_("Please tell the petitioner where to turn instead."))
    check_decision_dates(decided_on, served_on, service, after=petition.forwarded_on or petition.received_on,
                    after_label=_("the date it reached this body"))
    not_accept_locked(case, petition, actor=actor, decided_on=decided_on, reason=reason, proper_channel=proper_channel,
                      ground=Ground.OTHER, served_on=served_on, service=service)
    follow_statutory_clocks(case)
    return petition


def not_accept_locked(case, petition, *, actor, decided_on, reason, proper_channel, ground, served_on, service):
    petition.not_accept()
    petition.not_accepted_on, petition.ground = decided_on, ground
    petition.reason, petition.proper_channel, petition.concluded_on = reason, proper_channel, decided_on
    petition.save()
    clocks.stop(case, clocks.FORWARD, clocks.ACCEPTANCE, on=served_on or decided_on)
    follow_with_the_matter(case, actor=actor, action="terminate", note=reason)
    notice = issue_notice(petition, DocumentKind.NON_ACCEPTANCE, actor=actor, decided_on=decided_on,
                          served_on=served_on, service=service, reason=reason, proper_channel=proper_channel)
    with center_language():
        told = served_text(notice) if served_on else _("issued, to be served")
        record(case, actor=actor, step="not_accepted", note=_(
            "Not accepted on %(date)s: %(reason)s %(channel)s The notice %(number)s was %(served)s.") % {
            "date": spoken(decided_on), "reason": reason, "channel": proper_channel, "number": notice.number,
            "served": told}, ground=ground, document=notice.pk)
    return petition


@transaction.atomic
def petition_extend(*, case_id, actor, days, reason, approver, decided_on, served_on, service):
    """One extension of the reply (art. 34): at most 30 days, approved by the
    body's head (someone who may approve extensions), the petitioner told why."""
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=HANDLE)
    require(petition, petition.extend, what=_("extended"))
    if petition.extension_days is not None:
        raise InvalidTransition(_("The reply was extended once already (%(days)s days); the law allows one "
                                  "extension.") % {"days": petition.extension_days})
    longest = period_limit(Period.EXTENSION).limit
    if not isinstance(days, int) or not 1 <= days <= longest:
        raise ValidationError({"days": _("An extension is 1 to %(max)s days (art. 34).") % {"max": longest}})
    reason = check_text(reason, field="reason", message=_("Please give the reason for the extension."))
    if approver is None or not approver.is_active or not approver.has_perm(APPROVE_EXTENSION):
        raise ValidationError({"approver": _("The extension must be approved by a head who may approve it.")})
    check_decision_dates(decided_on, served_on, service, after=petition.accepted_on,
                    after_label=_("the date accepted"))
    if running_clock(case=case, kind=clocks.REPLY) is None:
        raise InvalidTransition(_("The reply period has already ended; it can no longer be extended."))
    reply = clock_extend(case=case, kind=clocks.REPLY, by=days)
    petition.extend()
    petition.extension_days, petition.extension_reason, petition.extension_approver = days, reason, approver
    petition.save()
    notice = issue_notice(petition, DocumentKind.EXTENSION, actor=actor, decided_on=decided_on, served_on=served_on,
                          service=service, extension_days=days, extension_reason=reason,
                          reply_due=last_day(reply.due_at))
    with center_language():
        record(case, actor=actor, step="extended", note=_(
            "The reply was extended by %(days)s days to %(due)s, approved by %(approver)s: %(reason)s. The notice "
            "%(number)s was %(served)s.") % {"days": days, "due": spoken(last_day(reply.due_at)),
                                            "approver": approver.display_name, "reason": reason,
                                            "number": notice.number, "served": served_text(notice)},
            approver=approver.username, document=notice.pk)
    follow_statutory_clocks(case)
    return petition


@transaction.atomic
def petition_reply(*, case_id, actor, opinion, decided_on, served_on, service):
    """处理意见书 (art. 34): the handling opinion, served; the petitioner's window to
    ask for a review (30 days, art. 35) counts from the day it was served."""
    case, petition = lock(case_id=case_id, actor=actor, scope=HOLDS, permission=HANDLE)
    require(petition, petition.reply, what=_("replied to"))
    opinion = check_text(opinion, field="opinion", message=_("Please write the handling opinion."))
    check_decision_dates(decided_on, served_on, service, after=petition.accepted_on,
                    after_label=_("the date accepted"))
    petition.reply()
    petition.replied_on = served_on
    petition.save()
    clocks.stop(case, clocks.REPLY, on=decided_on)
    window = clocks.start(case, clocks.REVIEW_REQUEST, served_on)
    notice = issue_notice(petition, DocumentKind.REPLY, actor=actor, decided_on=decided_on, served_on=served_on,
                          service=service, opinion=opinion, request_until=last_day(window.due_at),
                          request_days=period_limit(Period.REVIEW_REQUEST).limit)
    follow_with_the_matter(case, actor=actor, action="resolve", note=opinion)
    with center_language():
        record(case, actor=actor, step="replied", note=_(
            "The handling opinion %(number)s was %(served)s. The petitioner may ask for a review until %(until)s "
            "(art. 35).") % {"number": notice.number, "served": served_text(notice),
                             "until": spoken(last_day(window.due_at))}, document=notice.pk)
    follow_statutory_clocks(case)
    return petition
