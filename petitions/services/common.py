"""What every step's service shares: locking the matter and its petition, the
refusals (404 / 403 / 409 / 400), dates checked against the law's order, the
timeline, and keeping the matter's deadline in step with the statutory clocks."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from governance.cases.models import Case, CaseEvent
from governance.cases.services import (
    CaseChangeForbidden, CaseNotFound, InvalidTransition, case_change_status, case_get_for,
)
from governance.choices import EventType
from governance.people.roles import CHANGE_STATUS, VIEW
from governance.timers.models import Clock, ClockOutcome
from governance.timers.services import stop_tier_clock
from petitions.clocks import ORGAN_KINDS
from petitions.models import Petition, PetitionOffice
from petitions.periods import spoken

__all__ = ["CaseChangeForbidden", "CaseNotFound", "InvalidTransition", "WindowClosed"]

HOLDS, SEES = CHANGE_STATUS, VIEW

# The permissions of the app's actions (the role rows are in petitions.hooks).
REGISTER = "petitions.register_petition"
FORWARD = "petitions.forward_petition"
HANDLE = "petitions.handle_petition"
APPROVE_EXTENSION = "petitions.approve_extension"
OWN = "petitions.own_petition"
BOOK = "petitions.book_reception"

REFUSALS = {
    REGISTER: gettext_lazy("Your role does not register petitions."),
    FORWARD: gettext_lazy("Your role does not forward petitions."),
    HANDLE: gettext_lazy("Your role does not decide on petitions."),
    OWN: gettext_lazy("Only a leader assigns and owns petitions."),
    BOOK: gettext_lazy("Your role does not book receptions."),
}


class WindowClosed(InvalidTransition):
    """A request came after its window: refused with the day the window closed."""

    def __init__(self, message, closed_on):
        super().__init__(message)
        self.closed_on = closed_on


def refuse_without(actor, permission):
    if not actor.has_perm(permission):
        raise CaseChangeForbidden(str(REFUSALS[permission]))


def lock(*, case_id, actor, scope, permission) -> tuple[Case, Petition]:
    """Lock the matter (the person must see it: 404; hold it for ``HOLDS``: 403),
    check the app's permission (403), then lock its petition (404 if it has none)."""
    case = case_get_for(case_id=case_id, actor=actor, action=scope)
    refuse_without(actor, permission)
    petition = Petition.objects.select_for_update().filter(case=case).first()
    if petition is None:
        raise CaseNotFound(case_id)
    petition.case = case
    return case, petition


def require(petition, transition, *, what):
    """The step allows ``transition`` (a bound django-fsm method), else a 409 naming the step."""
    if not can_proceed(transition):
        raise InvalidTransition(_("A petition that is “%(step)s” cannot be %(what)s.")
                                % {"step": petition.get_step_display(), "what": what})


def check_day(day, *, field, not_before=None, before_label=""):
    """A date of a step: not in the future, and not before the step it follows."""
    if day is None:
        raise ValidationError({field: _("Please give the date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before is not None and day < not_before:
        raise ValidationError({field: _("The date cannot be before %(label)s (%(date)s).")
                               % {"label": before_label, "date": spoken(not_before)}})
    return day


def check_text(value, *, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def follow_with_the_matter(case, *, actor, action, note) -> Case:
    """The matter's coarse status follows the step (``case_change_status``, which
    checks the actor's right) when its status allows: staff may have changed it on
    the matter's page meanwhile, and that must not block the statutory step."""
    fresh = Case.objects.get(pk=case.pk)
    if not can_proceed(getattr(fresh, action)):
        return case
    return case_change_status(case_id=case.pk, actor=actor, action=action, note=note)


def is_petition_office(organisation_id) -> bool:
    return organisation_id is not None and PetitionOffice.objects.filter(organisation_id=organisation_id).exists()


def record(case, *, actor, step, note, public=True, **data):
    """A timeline entry for a petition step, written in the center's language."""
    return CaseEvent.objects.create(case=case, type=EventType.STEP, actor=actor, note=note, is_public=public,
                                    data={"app": "petitions", "step": step, **data})


def center_language():
    return translation.override(settings.LANGUAGE_CODE)


def follow_statutory_clocks(case):
    """A petition's time limits are the law's own (arts. 22, 23, 34, 35), so its
    matter does not run the tier clock: a petition must not escalate village ->
    town -> county by the tier rules against the steps the law sets (who handles
    it is decided by forwarding, and a missed statutory period puts it on the
    supervision list instead). Every service calls this last: it stops any tier
    clock (registration, a move and a reopen start one) and keeps the matter's
    ``deadline`` (lists, filters) on the running organ's period, ``overdue_at`` on
    whether that step is late."""
    stop_tier_clock(case, outcome=ClockOutcome.CANCELLED)
    running = (Clock.objects.filter(case=case, kind__in=ORGAN_KINDS, stopped_at__isnull=True)
               .order_by("due_at").values_list("due_at", flat=True).first())
    case.deadline, case.overdue_at = running, None
    Case.objects.filter(pk=case.pk).update(deadline=running, overdue_at=None)
    Petition.objects.filter(case=case).update(overdue_since=None)
