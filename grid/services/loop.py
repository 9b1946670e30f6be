"""The closed loop (GB/T 30428), one service per step:
register (立案) → dispatch (派遣) → handle (处置) → feedback (反馈) → verify (核查)
→ close (结案) → evaluate (评价); a report may be declined (不予立案) and a failed
verification sends the event back to the handler.

The center holding the event's matter registers, dispatches, closes and rates;
the handler handles and feeds back with photos; the reporting worker verifies on
the spot with a photo (or the center does). The matter follows: accepted at
registration, terminated when declined, resolved and closed at the close."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from governance.cases.grants import open_case_to
from governance.cases.services import case_change_status
from governance.choices import OPEN_STATUSES, CaseStatus, GrantPurpose, OrganisationKind, Role
from governance.models import User
from governance.notifications import notify_many
from grid import photos as photo_files
from grid.choices import PhotoStep
from grid.clocks import follow_step, stop_steps
from grid.models import JointPart
from grid.services.common import (
    InvalidTransition, center_language, handler_recipient, is_reporter, lock_event, message, peek_event,
    require_center, require_handler, require_step, require_verifier, step_event,
)
from grid.services.reporting import check_admitted
from intake.routing import dispatch_targets

SAVED = ["status", "step_due_at", "step_overdue_at", "updated_at"]


def join(*sentences):
    """Sentences of a timeline note (kept in Chinese: no spaces between them)."""
    return "".join(sentence.strip() for sentence in sentences if sentence and sentence.strip())


def _note(value, *, required=False, field="note", message_text=None):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message_text or _("Please write a note.")})
    return value


def _settle_matter(event, actor, *, action, note):
    """The matter's own status follows the loop (only where it still can: a status
    someone changed on the matter's page is left as it is)."""
    case = event.case
    if action == "accept" and case.status != CaseStatus.REGISTERED:
        return
    if action in ("terminate", "resolve") and case.status not in OPEN_STATUSES:
        return
    if action == "close" and case.status not in (CaseStatus.RESOLVED, CaseStatus.UNRESOLVED, CaseStatus.TERMINATED):
        return
    case_change_status(case_id=case.pk, actor=actor, action=action, note=note, data={"app": "grid"})
    case.refresh_from_db(fields=["status", "resolved_at", "closed_at"])


def _save(event, *fields):
    event.save(update_fields=[*SAVED, *fields])
    return event


@transaction.atomic
def event_register(*, event_id, actor, note=""):
    """立案: the center takes the report on; the matter is accepted."""
    event = lock_event(event_id=event_id, actor=actor)
    require_center(actor, event)
    require_step(event, event.register, pgettext("grid", "Register"))
    note = _note(note)
    now = timezone.now()
    event.register()
    follow_step(event, now=now)
    _save(event, "registered_at")
    with center_language():
        text = note or _("Registered by %(center)s.") % {"center": event.case.holder.name}
        _settle_matter(event, actor, action="accept", note="")  # the step's own entry says it
    step_event(event, actor=actor, step="register", note=text, is_public=True)
    return event


@transaction.atomic
def event_decline(*, event_id, actor, reason):
    """不予立案: the center does not take the report on (a duplicate, not a grid
    matter...), with the reason; the matter is terminated."""
    reason = _note(reason, required=True, field="reason", message_text=_("Please give the reason."))
    event = lock_event(event_id=event_id, actor=actor)
    require_center(actor, event)
    require_step(event, event.decline, _("Do not register"))
    now = timezone.now()
    event.decline()
    stop_steps(event, now=now, outcome="met")
    _save(event)
    _settle_matter(event, actor, action="terminate", note=reason)
    with center_language():
        notify_many([message(case=event.case, user_id=event.reporter_id,
                             note=_("Your report was not registered: %(reason)s") % {"reason": reason})])
    step_event(event, actor=actor, step="decline", note=reason, is_public=True)
    return event


def _dispatch_target(event, *, organisation, assignee):
    """(body, person) the event goes to: the center's own staff, or a body serving
    the place (a stationed department, a mediation body...), optionally one person
    of it. Raises ValidationError for anything else."""
    case = event.case
    if organisation is None and assignee is None:
        raise ValidationError({"organisation": _("Choose who handles the event.")})
    if organisation is None:
        organisation = assignee.organisation
    allowed = organisation is not None and (organisation.pk == case.holder_id or (
        organisation.kind != OrganisationKind.CENTER
        and dispatch_targets(region=case.region).filter(pk=organisation.pk).exists()))
    if not allowed:
        raise ValidationError({"organisation": _(
            "An event goes to the center's own staff or to a body serving its place (a stationed department...).")})
    if assignee is not None:
        if not assignee.is_active or assignee.organisation_id != organisation.pk:
            raise ValidationError({"assignee": _("%(person)s does not work for %(body)s.")
                                   % {"person": assignee.display_name, "body": organisation.name}})
        if not assignee.has_perm("grid.handle_gridevent"):
            raise ValidationError({"assignee": _("%(person)s's role does not handle grid events.")
                                   % {"person": assignee.display_name}})
        if assignee.role == Role.GRID_WORKER:
            check_admitted(event.event_type)  # only admitted types may be pushed to grid workers
    return organisation, assignee


def _joint_bodies(event, organisations, lead):
    bodies = []
    for body in organisations:
        if body.pk == lead.pk or body in bodies:
            continue
        if body.kind == OrganisationKind.CENTER or not dispatch_targets(region=event.case.region).filter(
                pk=body.pk).exists():
            raise ValidationError({"joint": _("%(body)s cannot take part: choose bodies serving this place.")
                                   % {"body": body.name}})
        bodies.append(body)
    return bodies


def open_to_bodies(event, bodies, *, person=None):
    """The people who handle may see the matter (a standing view grant: they keep
    seeing what they handled)."""
    users = [person] if person is not None else list(
        User.objects.filter(organisation__in=bodies, is_active=True))
    open_case_to(event.case, users, purpose=GrantPurpose.STANDING, can_change=False)


@transaction.atomic
def event_dispatch(*, event_id, actor, organisation=None, assignee=None, joint=(), instruction=""):
    """派遣: the center gives the registered event to its own staff or a body serving
    the place (optionally one person there), with an instruction; ``joint`` adds
    other bodies for a joint handling (会办). The handling clock starts."""
    event = lock_event(event_id=event_id, actor=actor)
    require_center(actor, event)
    require_step(event, event.dispatch, pgettext("grid", "Dispatch"))
    organisation, assignee = _dispatch_target(event, organisation=organisation, assignee=assignee)
    bodies = _joint_bodies(event, list(joint), organisation)
    now = timezone.now()
    event.handling_org, event.assignee, event.instruction = organisation, assignee, _note(instruction)
    event.dispatch()
    follow_step(event, now=now)
    _save(event, "handling_org", "assignee", "instruction", "dispatched_at")
    JointPart.objects.bulk_create([JointPart(event=event, organisation=body, requested_at=now) for body in bodies],
                                  ignore_conflicts=True)  # a body whose part is in from before an earlier send-back
    if organisation.pk != event.case.holder_id or assignee is not None:  # the center's own staff see it already
        open_to_bodies(event, [organisation], person=assignee)
    if bodies:
        open_to_bodies(event, bodies)
    with center_language():
        who = assignee.display_name if assignee else organisation.name
        target = _("%(body)s (%(person)s)") % {"body": organisation.name, "person": assignee.display_name} \
            if assignee else organisation.name
        text = join(_("Dispatched to %(who)s.") % {"who": target},
                    _("Handled jointly with %(bodies)s.") % {"bodies": "、".join(b.name for b in bodies)}
                    if bodies else "", event.instruction)
        notify_many([message(case=event.case, note=_("A grid event was dispatched to %(who)s: %(type)s.")
                             % {"who": who, "type": event.event_type.name}, **handler_recipient(event))]
                    + [message(case=event.case, organisation_id=body.pk,
                               note=_("Please take part in handling the grid event jointly."))
                       for body in bodies])
    step_event(event, actor=actor, step="dispatch", note=text, organisation=organisation.pk,
               assignee=assignee.username if assignee else "", joint=[body.pk for body in bodies])
    return event


@transaction.atomic
def event_handle(*, event_id, actor, note=""):
    """处置: the handler takes the event on (签收) and starts handling it."""
    event = lock_event(event_id=event_id, actor=actor)
    require_handler(actor, event)
    require_step(event, event.handle, _("Handle"))
    event.handle()
    follow_step(event, now=timezone.now())
    _save(event)
    with center_language():
        text = _note(note) or _("%(person)s started handling the event.") % {"person": actor.display_name}
    step_event(event, actor=actor, step="handle", note=text)
    return event


@transaction.atomic
def event_send_back(*, event_id, actor, reason):
    """退回: the handler returns an event that is not theirs to handle, with the
    reason; it waits to be dispatched again (the joint bodies that have not done
    their part are let go)."""
    reason = _note(reason, required=True, field="reason", message_text=_("Please give the reason."))
    event = lock_event(event_id=event_id, actor=actor)
    require_handler(actor, event)
    require_step(event, event.send_back, _("Send back"))
    body = event.handling_org.name if event.handling_org_id else ""
    event.send_back()
    follow_step(event, now=timezone.now())
    _save(event, "handling_org", "assignee")
    event.joint_parts.filter(done_at__isnull=True).delete()
    with center_language():
        text = _("%(body)s sent the event back: %(reason)s") % {"body": body, "reason": reason}
        notify_many([message(case=event.case, organisation_id=event.case.holder_id, note=text)])
    step_event(event, actor=actor, step="send_back", note=text)
    return event


def event_feedback(*, event_id, actor, note, photos):
    """反馈: the handler says what was done, with photos; the reporting worker is
    asked to verify on the spot."""
    note = _note(note, required=True, message_text=_("Please write what was done."))
    photos = [upload for upload in photos if upload]
    if not photos:
        raise ValidationError({"photos": _("Please add at least one photo of the result.")})
    event = peek_event(event_id=event_id, actor=actor)
    require_handler(actor, event)
    require_step(event, event.feed_back, _("Feed back"))
    stored = photo_files.checked_and_stored(photos)
    try:
        return _feedback(event_id=event_id, actor=actor, note=note, stored=stored)
    except BaseException:
        photo_files.discard(stored)
        raise


@transaction.atomic
def _feedback(*, event_id, actor, note, stored):
    event = lock_event(event_id=event_id, actor=actor)
    require_handler(actor, event)
    require_step(event, event.feed_back, _("Feed back"))
    now = timezone.now()
    event.feedback = note
    event.feed_back()
    follow_step(event, now=now)
    _save(event, "feedback", "fed_back_at")
    photo_files.photo_rows(event, stored, step=PhotoStep.FEEDBACK, actor=actor, round_number=event.round, at=now)
    with center_language():
        notify_many([message(case=event.case, user_id=event.reporter_id,
                             note=_("The handler fed back: please verify on the spot.")),
                     message(case=event.case, organisation_id=event.case.holder_id,
                             note=join(_("The handler fed back."), note))])
    step_event(event, actor=actor, step="feedback", note=note, photos=len(stored), round=event.round)
    return event


def event_verify(*, event_id, actor, passed, note="", photos=()):
    """核查: the reporting worker checks on the spot, with a photo (the center may
    verify instead, without one). Passed: on to the close. Failed: back to the
    handler for another round, with the reason."""
    note = _note(note, required=not passed, message_text=_("Please say what is still wrong."))
    photos = [upload for upload in photos if upload]
    event = peek_event(event_id=event_id, actor=actor)
    require_verifier(actor, event)
    require_step(event, event.verify, _("Verify"))
    if is_reporter(actor, event) and not photos:
        raise ValidationError({"photos": _("Please take a photo on the spot.")})
    stored = photo_files.checked_and_stored(photos)
    try:
        return _verify(event_id=event_id, actor=actor, passed=passed, note=note, stored=stored)
    except BaseException:
        photo_files.discard(stored)
        raise


@transaction.atomic
def _verify(*, event_id, actor, passed, note, stored):
    event = lock_event(event_id=event_id, actor=actor)
    require_verifier(actor, event)
    require_step(event, event.verify, _("Verify"))
    now = timezone.now()
    photo_files.photo_rows(event, stored, step=PhotoStep.VERIFY, actor=actor, round_number=event.round, at=now)
    event.verification = note
    with center_language():
        if passed:
            event.verify()
            text = note or _("Verified on the spot: handled as fed back.")
            notices = [message(case=event.case, organisation_id=event.case.holder_id,
                               note=_("The event was verified: please close it."))]
        else:
            event.fail_verification()
            text = _("Verification failed, back to the handler: %(reason)s") % {"reason": note}
            notices = [message(case=event.case, note=_("Verification failed: %(reason)s") % {"reason": note},
                               **handler_recipient(event))]
    follow_step(event, now=now, restart=not passed)
    _save(event, "verification", "verified_at", "round")
    notify_many(notices)
    step_event(event, actor=actor, step="verify", note=text, passed=passed, photos=len(stored))
    return event


@transaction.atomic
def event_close(*, event_id, actor, note=""):
    """结案: the center closes a verified event; a joint handling only when every
    body's part is in. The matter is resolved and closed."""
    event = lock_event(event_id=event_id, actor=actor)
    require_center(actor, event)
    require_step(event, event.close, pgettext("grid", "Close"))
    pending = list(event.joint_parts.filter(done_at__isnull=True).select_related("organisation"))
    if pending:
        raise InvalidTransition(_("The joint handling is not complete: %(bodies)s have not recorded their part.")
                                % {"bodies": "、".join(part.organisation.name for part in pending)})
    now = timezone.now()
    event.close()
    follow_step(event, now=now)
    _save(event, "closed_at")
    with center_language():
        note = _note(note)
        # The matter's outcome (citizens may read it): what was done, as fed back and verified.
        outcome = join(_("Closed: %(feedback)s") % {"feedback": event.feedback}, note)
        _settle_matter(event, actor, action="resolve", note=outcome)
        _settle_matter(event, actor, action="close", note="")
        text = join(_("Closed."), note)
        notify_many([message(case=event.case, user_id=event.reporter_id, note=_("The event you reported is closed."))])
    step_event(event, actor=actor, step="close", note=text, is_public=True)
    return event


@transaction.atomic
def event_evaluate(*, event_id, actor, rating, note=""):
    """评价: the center rates how the event was handled (1 to 5)."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    event = lock_event(event_id=event_id, actor=actor)
    require_center(actor, event)
    require_step(event, event.evaluate, _("Evaluate"))
    event.rating, event.rating_note = rating, _note(note)
    event.evaluate()
    follow_step(event, now=timezone.now())
    _save(event, "rating", "rating_note", "evaluated_at")
    with center_language():
        text = join(_("Rated “%(rating)s”.") % {"rating": event.get_rating_display()}, event.rating_note)
    step_event(event, actor=actor, step="evaluate", note=text, rating=rating)
    return event

