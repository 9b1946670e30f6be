"""包案: a county leader owns a hard or long-standing petition, with a plan,
milestones and progress notes. The leader is given the matter (a grant for the
ownership) and told; ownership ends by hand with how it ended."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.grants import open_case_to
from governance.cases.models import CaseEvent
from governance.choices import EventType, GrantPurpose, NotificationKind, Role
from governance.notifications.models import Notification
from governance.notifications.services import notify_many
from petitions.models import Milestone, Ownership, ProgressNote
from petitions.services.common import (
    OWN, SEES, CaseNotFound, InvalidTransition, center_language, check_day, check_text, lock,
    record,
)


def _milestone_rows(milestones):
    rows = []
    for title, due_on in milestones:
        title = (title or "").strip()
        if title:
            if due_on is None:
                raise ValidationError({"milestones": _("Give each milestone a date.")})
            rows.append((title, due_on))
    return rows


@transaction.atomic
def ownership_assign(*, case_id, actor, leader, plan, target_on=None, milestones=()) -> Ownership:
    case, petition = lock(case_id=case_id, actor=actor, scope=SEES, permission=OWN)
    current = petition.ownerships.filter(ended_at__isnull=True).select_related("leader").first()
    if current is not None:
        raise InvalidTransition(_("%(leader)s owns this petition already.") % {"leader": current.leader.display_name})
    in_county = (leader is not None and leader.organisation_id is not None
                 and leader.organisation.region.path.startswith(case.region.county_path))
    if not in_county or leader.role != Role.LEADER or not leader.is_active:
        raise ValidationError({"leader": _("Only a leader of this county can own a petition.")})
    plan = check_text(plan, field="plan", message=_("Please write the plan for settling it."))
    if target_on is not None and target_on < timezone.localdate():
        raise ValidationError({"target_on": _("The target date has passed already.")})
    rows = _milestone_rows(milestones)
    ownership = Ownership.objects.create(petition=petition, leader=leader, assigned_by=actor, plan=plan,
                                         target_on=target_on)
    Milestone.objects.bulk_create(Milestone(ownership=ownership, title=t, due_on=d) for t, d in rows)
    open_case_to(case, [leader], purpose=GrantPurpose.LEADER_OWNERSHIP)
    with center_language():
        note = _("%(leader)s owns the petition (包案).") % {"leader": leader.display_name}
        message = _("You own this petition (包案): %(plan)s") % {"plan": plan}
    CaseEvent.objects.create(case=case, type=EventType.LEADER_OWNERSHIP, actor=actor, note=note, is_public=True,
                             data={"app": "petitions", "leader": leader.username, "name": leader.display_name})
    notify_many([Notification(user=leader, case=case, kind=NotificationKind.MESSAGE, note=message)])
    return ownership


def _ownership_for(*, ownership_id, actor) -> Ownership:
    """The active ownership, for its leader or another leader who may assign (the
    matter in their view); locked."""
    ownership = (Ownership.objects.select_for_update().select_related("petition__case", "leader")
                 .filter(pk=ownership_id).first())
    if ownership is None:
        raise CaseNotFound(ownership_id)
    if ownership.leader_id != actor.pk:
        lock(case_id=ownership.petition_id, actor=actor, scope=SEES, permission=OWN)
    if ownership.ended_at is not None:
        raise InvalidTransition(_("This ownership has ended."))
    return ownership


@transaction.atomic
def ownership_add_milestone(*, ownership_id, actor, title, due_on) -> Milestone:
    ownership = _ownership_for(ownership_id=ownership_id, actor=actor)
    title = check_text(title, field="title", message=_("Please name the milestone."))
    if due_on is None:
        raise ValidationError({"due_on": _("Please give the date.")})
    return Milestone.objects.create(ownership=ownership, title=title, due_on=due_on)


@transaction.atomic
def ownership_milestone_done(*, milestone_id, actor, done_on) -> Milestone:
    milestone = Milestone.objects.select_for_update().filter(pk=milestone_id).first()
    if milestone is None:
        raise CaseNotFound(milestone_id)
    ownership = _ownership_for(ownership_id=milestone.ownership_id, actor=actor)
    if milestone.done_on is not None:
        raise InvalidTransition(_("This milestone was done already."))
    check_day(done_on, field="done_on")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    with center_language():
        record(ownership.petition.case, actor=actor, step="milestone", public=False,
               note=_("Milestone done: %(title)s.") % {"title": milestone.title}, milestone=milestone.pk)
    return milestone


@transaction.atomic
def ownership_note(*, ownership_id, actor, text) -> ProgressNote:
    ownership = _ownership_for(ownership_id=ownership_id, actor=actor)
    text = check_text(text, field="text", message=_("Please write what was done."))
    note = ProgressNote.objects.create(ownership=ownership, author=actor, text=text)
    with center_language():
        record(ownership.petition.case, actor=actor, step="progress", public=False,
               note=_("Progress on the owned petition: %(text)s") % {"text": text}, progress=note.pk)
    return note


@transaction.atomic
def ownership_end(*, ownership_id, actor, note) -> Ownership:
    ownership = _ownership_for(ownership_id=ownership_id, actor=actor)
    note = check_text(note, field="note", message=_("Please say how the ownership ended."))
    ownership.ended_at, ownership.end_note = timezone.now(), note
    ownership.save(update_fields=["ended_at", "end_note"])
    with center_language():
        record(ownership.petition.case, actor=actor, step="ownership_ended", public=False,
               note=_("%(leader)s's ownership ended: %(note)s") % {"leader": ownership.leader.display_name,
                                                                   "note": note})
    return ownership

