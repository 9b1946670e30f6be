"""What every mediation service shares: finding and locking a mediation the actor
may act on (the matter first, then the mediation, as every writer of matters
locks), the refusals, the step, the timeline event and the notices.

Refusals are the core's: ``CaseNotFound`` (404: the matter is outside the
actor's view), ``CaseChangeForbidden`` (403, with the reason), and
``InvalidTransition`` (409: not in this state). Bad or missing input is a
Django ``ValidationError`` (400), raised before anything is written.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from governance.cases.querysets import CHANGE, VIEW
from governance.cases.services import CaseChangeForbidden, CaseNotFound, InvalidTransition
from governance.choices import EventType, NotificationKind
from governance.models import Case, CaseEvent, Notification
from governance.notifications import notify_many
from mediation.choices import TeamRole
from mediation.models import Mediation, TeamMember

__all__ = ["CaseChangeForbidden", "CaseNotFound", "InvalidTransition", "ValidationError"]


def require(actor, right):
    """403 with the right's reason when the actor's role lacks it."""
    if not actor.has_perm(right.permission):
        raise CaseChangeForbidden(str(right.refusal))


def lock_case(*, case_id, actor) -> Case:
    """Lock a matter the actor sees (404 otherwise)."""
    case = (Case.objects.restrict(actor, VIEW).select_for_update(of=("self",)).select_related("region", "holder")
            .filter(pk=case_id).first())
    if case is None:
        raise CaseNotFound(case_id)
    return case


def lock_mediation(*, mediation_id, actor) -> Mediation:
    """Lock the mediation's matter (the actor must see it, else 404), then the mediation."""
    case_id = Mediation.objects.filter(pk=mediation_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise CaseNotFound(mediation_id)
    case = lock_case(case_id=case_id, actor=actor)
    mediation = (Mediation.objects.select_for_update(of=("self",)).select_related("lead", "body")
                 .get(pk=mediation_id))
    mediation.case = case
    return mediation


def holds(actor, case) -> bool:
    """The actor's organisation holds the matter, or it was granted to them to change."""
    return Case.objects.restrict(actor, CHANGE).filter(pk=case.pk).exists()


def is_team(actor, mediation) -> bool:
    return mediation.lead_id == actor.pk or mediation.members.filter(user=actor).exists()


def is_mediating(actor, mediation) -> bool:
    """The lead, or another mediator of the team."""
    return mediation.lead_id == actor.pk or mediation.members.filter(
        user=actor, role__in=(TeamRole.MEDIATOR, TeamRole.PRO_MEDIATOR)).exists()


def require_lead(actor, mediation, right):
    require(actor, right)
    if mediation.lead_id != actor.pk:
        raise CaseChangeForbidden(_("Only the lead mediator, %(name)s, can do this.") % {"name": mediation.lead})


def require_team_or_holder(actor, mediation, right):
    """The team, or the staff of the organisation that holds the matter."""
    require(actor, right)
    if not (is_team(actor, mediation) or holds(actor, mediation.case)):
        raise CaseChangeForbidden(_("Only the mediation's team or the organisation that holds the matter "
                                    "can do this."))


def step(mediation, name):
    """Take the django-fsm step ``name`` or refuse it (409) naming the state."""
    method = getattr(mediation, name)
    if not can_proceed(method):
        raise InvalidTransition(_("A mediation that is “%(status)s” cannot do this now.")
                                % {"status": mediation.get_status_display()})
    method()


def save(mediation, *fields):
    mediation.save(update_fields=["status", "updated_at", *fields])


def required(value, field, message):
    """The stripped text, or a 400 on ``field``."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def center_language():
    """``with center_language():`` timeline notes and notices are kept in the
    center's language, whoever writes them."""
    return translation.override(settings.LANGUAGE_CODE)


def moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def event(mediation, *, actor, step_name, note, is_public=False, citizen=False, data=None):
    """The timeline event of a mediation step (``citizen``: the note is meant for the
    parties, shown on the public status page)."""
    return CaseEvent.objects.create(
        case=mediation.case, type=EventType.STEP, actor=actor, note=note, is_public=is_public or citizen,
        data={"app": "mediation", "step": step_name, "mediation": mediation.pk, "citizen": citizen,
              **(data or {})},
    )


def notify(mediation, note, *, users=(), organisations=()):
    notify_many(
        [Notification(user=user, case=mediation.case, kind=NotificationKind.MESSAGE, note=note) for user in users]
        + [Notification(organisation=org, case=mediation.case, kind=NotificationKind.MESSAGE, note=note)
           for org in organisations]
    )
