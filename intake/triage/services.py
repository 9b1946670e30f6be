"""Triage's one write on a matter: the category it is handled under, changed at
triage (a chip clicked on the triage page, or the clerk's own pick)."""
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.choices import EventType
from governance.models import CaseEvent, Clock
from governance.timers.services import TIER, start_tier_clock
from intake.services import InvalidTransition, _lock_for_triage
from intake.triage.models import Door, Suggestion
from intake.triage.suggestions import _outcome


@transaction.atomic
def case_recategorise(*, case_id, actor, category, clicked=False):
    """Handle the registered matter under ``category`` (the holder's triage right,
    as for every triage decision). Its tier limit is counted again for the new
    category from when it reached its tier; the timeline keeps both categories."""
    case = _lock_for_triage(case_id=case_id, actor=actor)
    if category is None or not category.is_active:
        raise InvalidTransition(_("Choose one of the categories in use."))
    if category.pk == case.category_id:
        return case
    before = case.category
    case.category = category
    case.save(update_fields=["category", "updated_at"])
    running = Clock.objects.filter(case=case, kind=TIER, stopped_at__isnull=True).values_list(
        "started_at", flat=True).first()
    start_tier_clock(case, start=running or case.created_at)
    with translation.override(settings.LANGUAGE_CODE):  # timeline notes are kept in the center's language
        note = _("Category changed from %(before)s to %(after)s.") % {"before": before.name, "after": category.name}
    CaseEvent.objects.create(case=case, type=EventType.STEP, actor=actor, note=note, is_public=False,
                             data={"app": "intake", "step": "recategorised", "from": before.code, "to": category.code})
    suggestion = Suggestion.objects.select_for_update().filter(case=case, door=Door.TRIAGE).first()
    if suggestion is not None:
        suggestion.chosen, suggestion.clicked = category, clicked or suggestion.clicked
        suggestion.outcome, suggestion.settled_at = _outcome(suggestion, category), timezone.now()
        suggestion.save(update_fields=["chosen", "clicked", "outcome", "settled_at", "updated_at"])
    return case
