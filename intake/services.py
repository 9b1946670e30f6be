"""The one door's writes: register a matter (at a window, through the API, the
public form or Open311), link a repeat visit, and the triage actions (分类处置):
resolve on the spot, dispatch, joint mediation, leader ownership."""
import secrets
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.choices import CaseStatus, Channel, EventType, GrantPurpose, NotificationKind, Role
from governance.models import Case, CaseEvent, Notification, Organisation, User
from governance.notifications import notify_many
from governance.cases.grants import open_case_to
from governance.cases.querysets import VIEW
from governance.cases.services import (
    CaseChangeForbidden,
    CaseNotFound,
    InvalidTransition,
    case_change_status,
    case_get_for,
)
from governance.cases.services import case_register as register_case_record
from governance.supervision.moves import move_locked_case
from governance.supervision.signals import count_police_referral
from governance.people.roles import REGISTER, TRIAGE
from governance.uploads import StorageFull, is_no_space, reencode_image
from intake.models import Attachment, Intake
from intake.routing import dispatch_targets, suggest_holder

ATTACHMENT_TYPES = {"image/jpeg", "image/png", "application/pdf"}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 10


def check_attachment(upload) -> str:
    """The real type from the file's first bytes (not its name), and its size.
    Returns the content type; raises a ValidationError in the clerk's language."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; a file may be at most 10 MB.")
            % {"name": upload.name, "size": round(upload.size / 1024 / 1024, 1)}, code="size")
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise ValidationError(_("“%(name)s” is not a photo (JPEG, PNG) or a PDF.") % {"name": upload.name},
                              code="type")
    return kind.mime


def _routed_holder(*, kind, category, region) -> Organisation:
    holder = suggest_holder(kind=kind, category=category, region=region)
    if holder is None:
        raise ValidationError({"region": _("No center serves this place yet; ask an administrator.")})
    return holder


def intake_register(
    *, actor, channel, kind, category, region, narrative, parties, address="", window=None,
    attachments=(), dispatch=False, api_key=None, with_token=False, anonymous=False,
    permission=REGISTER.permission, consent_notice="",
) -> Case:
    """Register a new matter with its validated ``parties`` (dicts of Party fields).

    At a window it is held by the clerk's organisation until triage; with
    ``dispatch`` (API, public form, Open311) it goes at once to the organisation
    the routing rules suggest. The deadline comes from the holder's tier rule.
    Staff need the door's permission: registering (``add_case``) at a window and
    through the API; an app's own door names its own (a grid worker reports grid
    events with ``grid.report_gridevent`` and registers nothing else). The public
    doors (``actor`` None) have their own guards (rate limits, API keys).

    Everything is one transaction: the matter, its parties, the intake, the
    attachments' rows, the dispatch and its notification, or nothing. The files
    are written first, outside it: the year's number row stays locked from the
    number's allocation to the commit, and every registration in the county
    waits on it, so no disk or network write may happen in between.
    """
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(str(REGISTER.refusal))
    content_types = [check_attachment(upload) for upload in attachments]
    stored = _store_files(attachments, content_types)
    try:
        with transaction.atomic():
            case = _register(actor=actor, channel=channel, kind=kind, category=category, region=region,
                             narrative=narrative, parties=parties, address=address, window=window,
                             dispatch=dispatch, api_key=api_key, with_token=with_token, anonymous=anonymous,
                             consent_notice=consent_notice)
            _attach(case, stored, actor)
    except BaseException:
        _discard_files(stored)
        raise
    return case


def _register(*, actor, channel, kind, category, region, narrative, parties, address, window, dispatch,
              api_key, with_token, anonymous, consent_notice="") -> Case:
    if dispatch or actor is None or actor.organisation_id is None:
        holder = _routed_holder(kind=kind, category=category, region=region)
    else:
        holder = actor.organisation
    case = register_case_record(
        kind=kind, channel=channel, category=category, region=region, narrative=narrative, address=address,
        holder=holder, parties=parties, actor=actor, anonymous=anonymous,
    )
    if channel == Channel.POLICE_REFERRAL:
        Case.objects.filter(pk=case.pk).update(police_referrals=1)
        case.police_referrals = 1
    Intake.objects.create(case=case, window=window, channel=channel, clerk=actor, api_key=api_key,
                          consent_notice=consent_notice, consented_at=timezone.now() if consent_notice else None,
                          token=secrets.token_hex(12) if with_token else None)
    if dispatch:
        before = _accept_if_new(case)
        with translation.override(settings.LANGUAGE_CODE):  # timeline notes are kept in the center's language
            note = _("Dispatched by the routing rules.")
        CaseEvent.objects.create(case=case, type=EventType.DISPATCHED, actor=actor, to_tier=case.tier,
                                 to_holder=holder, note=note, is_public=True, data={"routing": True},
                                 from_status=before, to_status=case.status)
        notify_many([Notification(organisation=holder, case=case, kind=NotificationKind.DISPATCHED)])
    return case


@dataclass(frozen=True)
class StoredFile:
    name: str  # as the visitor's file was called
    path: str  # where the storage put it
    content_type: str
    size: int


def _store_files(uploads, content_types) -> list[StoredFile]:
    """Write the uploads to the attachments' storage before any transaction takes a lock."""
    field = Attachment._meta.get_field("file")
    stored = []
    try:
        for upload, content_type in zip(uploads, content_types):
            upload = reencode_image(upload, content_type)  # photos: only the pixels are kept
            path = field.storage.save(field.generate_filename(None, upload.name[-80:]), upload,
                                      max_length=field.max_length)
            stored.append(StoredFile(upload.name[-120:], path, content_type, upload.size))
    except BaseException as error:
        _discard_files(stored)
        if is_no_space(error):
            raise StorageFull(error) from error
        raise
    return stored


def _discard_files(stored):
    """The registration failed after the files were written: nothing of it stays."""
    storage = Attachment._meta.get_field("file").storage
    for item in stored:
        storage.delete(item.path)


def _attach(case, stored, actor):
    Attachment.objects.bulk_create([
        Attachment(case=case, file=item.path, name=item.name, content_type=item.content_type, size=item.size,
                   uploaded_by=actor)
        for item in stored
    ])


def _accept_if_new(case) -> str:
    """A dispatched matter is being handled: registered -> in progress. Returns the
    status it had when it changed (for the triage event), else ""."""
    if case.status != CaseStatus.REGISTERED:
        return ""
    case.accept()
    case.save(update_fields=["status", "updated_at"])
    return CaseStatus.REGISTERED


def case_link_repeat_visit(*, case_id, actor, channel, note="", window=None, attachments=()) -> Case:
    """The visitor came again about a matter already registered (重复来访): count
    the visit on that matter instead of opening a new one, with what they brought.
    Whoever registers visits (``add_case``) and sees the matter may link one; a
    police referral also counts toward its signal rule. Files are written before
    the matter is locked (see intake_register), and removed if the link fails."""
    if channel not in Channel.values:
        raise InvalidTransition(_("Unknown channel “%(channel)s”.") % {"channel": str(channel)[:20]})
    content_types = [check_attachment(upload) for upload in attachments]
    stored = _store_files(attachments, content_types)
    try:
        with transaction.atomic():
            case = _link_repeat_visit(case_id=case_id, actor=actor, channel=channel, note=note, window=window)
            _attach(case, stored, actor)
    except BaseException:
        _discard_files(stored)
        raise
    return case


def _link_repeat_visit(*, case_id, actor, channel, note, window) -> Case:
    case = Case.objects.restrict(actor, VIEW).select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None:
        raise CaseNotFound(case_id)
    if not actor.has_perm(REGISTER.permission):
        raise CaseChangeForbidden(_("Your role does not register visits."))
    Case.objects.filter(pk=case.pk).update(visit_count=F("visit_count") + 1, updated_at=timezone.now())
    case.refresh_from_db(fields=["visit_count"])
    CaseEvent.objects.create(case=case, type=EventType.REPEAT_VISIT, actor=actor, note=(note or "").strip(),
                             is_public=True, data={"channel": channel, "visit": case.visit_count})
    Intake.objects.create(case=case, window=window, channel=channel, clerk=actor, is_repeat=True)
    if case.is_open:
        again = _("The visitor came again (visit %(count)s).") % {"count": case.visit_count}
        notify_many([Notification(organisation_id=case.holder_id, case=case, kind=NotificationKind.REMINDED,
                                  due_at=case.deadline, note=again)])
    if channel == Channel.POLICE_REFERRAL:
        count_police_referral(case, actor=actor)
    return case


def _lock_for_triage(*, case_id, actor) -> Case:
    """Triage (``triage_case``: clerks and leaders, on what their organisation holds)
    is the first decision on a new matter. Once it is being handled, moving it is a
    leader's call (governance.supervision.moves, with a reason), so an escalated
    matter cannot be sent back down from the window."""
    case = case_get_for(case_id=case_id, actor=actor, action=TRIAGE)
    if case.status != CaseStatus.REGISTERED:
        raise InvalidTransition(_("This matter has been triaged already; a leader can still move it."))
    return case


@transaction.atomic
def case_resolve_on_spot(*, case_id, actor, note) -> Case:
    """当场化解: resolved at the window, with what was agreed."""
    if not (note or "").strip():
        raise InvalidTransition(_("Please write how it was resolved."))
    _lock_for_triage(case_id=case_id, actor=actor)
    return case_change_status(case_id=case_id, actor=actor, action="resolve", note=note,
                              data={"triage": "resolved_on_spot"})


@transaction.atomic
def case_dispatch(*, case_id, actor, to, note="") -> Case:
    """交办: hand the matter to ``to`` (a center or department at or above its place);
    the tier and deadline follow the new holder's tier rule."""
    case = _lock_for_triage(case_id=case_id, actor=actor)
    if to.pk == case.holder_id or not dispatch_targets(region=case.region).filter(pk=to.pk).exists():
        raise InvalidTransition(_("Choose an organisation that serves this place."))
    before = _accept_if_new(case)
    return move_locked_case(case, to=to, actor=actor, note=(note or "").strip(), data={"triage": "dispatch"},
                            event_type=EventType.DISPATCHED, from_status=before)


@transaction.atomic
def case_joint_mediation(*, case_id, actor, organisations, note="") -> Case:
    """联合调: the county center leads, with the chosen organisations joining; their
    staff are given the matter until the joint mediation ends (when the matter
    leaves the open statuses, or ``case_end_joint_mediation``), and each
    organisation is notified."""
    case = _lock_for_triage(case_id=case_id, actor=actor)
    county_path = case.region.county_path
    # Only the county's own bodies join; centers lead or hold, they do not join.
    organisations = [org for org in organisations if org.is_active and org.kind != "center"
                     and org.region.path.startswith(county_path)]
    if not organisations:
        raise InvalidTransition(_("Choose the organisations that join the joint mediation."))
    lead = Organisation.objects.filter(kind="center", region__path=county_path).select_related("region").first()
    if lead is None:
        raise InvalidTransition(_("No county center leads here yet; ask an administrator."))
    before = _accept_if_new(case)
    names = [org.name for org in organisations]
    if lead.pk != case.holder_id:
        move_locked_case(case, to=lead, actor=actor, note=note, data={"triage": "joint_mediation"},
                         event_type=EventType.DISPATCHED)
    CaseEvent.objects.create(case=case, type=EventType.JOINT_MEDIATION, actor=actor, to_holder=lead,
                             from_status=before, to_status=case.status if before else "",
                             note=(note or "").strip(), is_public=True,
                             data={"organisations": [org.pk for org in organisations], "names": names})
    open_case_to(case, User.objects.filter(organisation__in=organisations, is_active=True),
                 purpose=GrantPurpose.JOINT_MEDIATION)
    notify_many([Notification(organisation=org, case=case, kind=NotificationKind.DISPATCHED,
                              note=_("Joint mediation led by %(lead)s.") % {"lead": lead.name})
                 for org in organisations])
    return case


@transaction.atomic
def case_leader_ownership(*, case_id, actor, leader, note="") -> Case:
    """包案: a named leader owns the matter until it is resolved (at triage, or later
    for a matter that proves hard: it does not move the matter). A triage decision
    (``triage_case``) on a matter the actor's organisation holds."""
    case = case_get_for(case_id=case_id, actor=actor, action=TRIAGE)
    in_county = leader.organisation_id is not None and leader.organisation.region.path.startswith(
        case.region.county_path)
    if leader.role != Role.LEADER or not leader.is_active or not in_county:
        raise InvalidTransition(_("Only a center leader of this county can own a matter."))
    if not case.is_open:
        raise InvalidTransition(_("Only an open matter can be given to a leader."))
    before = _accept_if_new(case)
    open_case_to(case, [leader], purpose=GrantPurpose.LEADER_OWNERSHIP)
    CaseEvent.objects.create(case=case, type=EventType.LEADER_OWNERSHIP, actor=actor, note=(note or "").strip(),
                             from_status=before, to_status=case.status if before else "",
                             is_public=True, data={"leader": leader.username, "name": leader.display_name})
    notify_many([Notification(user=leader, case=case, kind=NotificationKind.DISPATCHED,
                              note=_("You own this matter (包案)."))])
    return case
