"""Suggestions as the clerk types: the top three categories with their scores and
deciding words, and the holder the routing rules give the first one at the place.
Each worker process loads its county's model in use once (and again only when an
admin puts another version in use); the suggestion is recorded with what the
clerk finally chose, so acceptance can be measured per category."""
import threading
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Category, Organisation, Region
from intake.routing import dispatch_targets, suggest_holder
from intake.triage.learning import Predictor
from intake.triage.models import Door, ModelStatus, Outcome, Suggestion, TriageModel, TriageSettings

# What a suggestion reads besides the model (settings, category names, the routing's
# holder) changes rarely: each worker keeps it this many seconds, so a suggestion
# costs one query (which version is in use) and the model's own work.
MEMO_SECONDS = 30
MIN_CHARACTERS = 6
USUAL_SHARE = 0.2  # an organisation that resolved less than this share of a category is not "usual"  # fewer characters than this say too little to suggest anything
_loaded: dict[int, tuple[int, Predictor, dict]] = {}  # county id -> (model id, predictor, holders), per process
_memo: dict = {}
_lock = threading.Lock()


def _remember(key, compute):
    now = time.monotonic()
    found = _memo.get(key)
    if found is None or found[0] < now:
        found = (now + MEMO_SECONDS, compute())
        _memo[key] = found
    return found[1]


def forget():
    """Drop what this process remembers (settings, names, routing); called when an
    admin changes the settings or a version is put in use here."""
    _memo.clear()


@dataclass
class Choice:
    category: Category
    score: float
    words: list
    spans: list


@dataclass
class Result:
    """``available`` False with a ``reason`` when nothing is suggested."""

    available: bool
    reason: str = ""
    choices: list = field(default_factory=list)
    holder: Organisation | None = None
    usual_holder: tuple | None = None  # (organisation, share) that resolved most of the first category here
    model: TriageModel | None = None
    narrative: str = ""

    @property
    def first(self):
        return self.choices[0] if self.choices else None


def county_of(*, user=None, region=None):
    if region is not None:
        return Region.objects.filter(path=region.county_path).first()
    if user is not None and user.organisation_id is not None:
        return Region.objects.filter(path=user.organisation.region.county_path).first()
    return Region.objects.filter(depth=1).order_by("path").first()


def predictor_for(county) -> tuple[TriageModel | None, Predictor | None]:
    """The county's model in use and its predictor, loaded once per process (one
    small query a call says which version is in use, so a roll back counts at once)."""
    model = (TriageModel.objects.filter(county=county, is_active=True, status=ModelStatus.READY)
             .only("id", "version", "matters", "trained_at", "heldout_top1").first())
    if model is None:
        return None, None
    cached = _loaded.get(county.pk)
    if cached is None or cached[0] != model.pk:
        with _lock:
            cached = _loaded.get(county.pk)
            if cached is None or cached[0] != model.pk:
                blob, holders = TriageModel.objects.filter(pk=model.pk).values_list("blob", "holders").get()
                _loaded[county.pk] = cached = (model.pk, Predictor.loads(blob), holders or {})
    model.holders = cached[2]
    return model, cached[1]


def suggest(*, narrative, county, region=None, kind="dispute") -> Result:
    """What to suggest for ``narrative`` in ``county`` (``region``: the place, if chosen)."""
    narrative = (narrative or "").strip()
    if county is None:
        return Result(False, _("No county is set up yet."))
    settings = _remember(("settings", county.pk), lambda: TriageSettings.for_county(county))
    model, predictor = predictor_for(county)
    if model is None or model.matters < settings.min_matters:
        return Result(False, _("Too little history to suggest a category yet: suggestions start once "
                               "%(count)s matters are closed here and a model is trained.")
                      % {"count": settings.min_matters})
    if len(narrative) < MIN_CHARACTERS:
        return Result(False, _("Suggestions appear as the narrative is typed."), model=model)
    explained = predictor.explain(narrative, k=3)
    categories = _remember("categories", lambda: Category.objects.in_bulk(field_name="code"))
    choices = [Choice(categories[e.label], e.score, e.words, e.spans) for e in explained
               if e.label in categories and categories[e.label].is_active]
    if not choices:
        return Result(False, _("The model knows none of today's categories; ask an administrator to train it "
                               "again."), model=model)
    result = Result(True, choices=choices, model=model, narrative=narrative)
    if region is not None:
        category = choices[0].category
        result.holder = _remember(("holder", kind, category.pk, region.pk),
                                  lambda: suggest_holder(kind=kind, category=category, region=region))
        result.usual_holder = _remember(("usual", model.pk, category.pk, region.pk),
                                        lambda: usual_holder(model, category, region))
    return result


def usual_holder(model, category, region):
    """Of the organisations serving ``region``, the one that resolved most of the
    county's closed ``category`` matters, with its share: learnt, not a rule."""
    counts = (model.holders or {}).get(category.code) or {}
    if not counts:
        return None
    serving = set(dispatch_targets(region=region).values_list("pk", flat=True))
    best = max(((n, int(pk)) for pk, n in counts.items() if int(pk) in serving), default=None)
    if best is None or best[0] < USUAL_SHARE * sum(counts.values()):
        return None
    return Organisation.objects.filter(pk=best[1]).first(), best[0] / sum(counts.values())


def highlighted(text, spans):
    """[(piece, is_deciding)] to show the narrative with its deciding words marked."""
    pieces, at = [], 0
    for start, end in spans:
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


# -- recording what was offered and what was chosen ----------------------------

def record_offer(*, result, user, door, suggestion_id=None, case=None) -> Suggestion | None:
    """Keep the suggestion offered: one row per registration being typed (updated
    as the narrative grows), per matter on the triage page, per API call."""
    if not result.available:
        return None
    first = result.first
    offered = [{"category": c.category.code, "score": round(c.score, 4)} for c in result.choices]
    values = {"model": result.model, "suggested": first.category, "offered": offered, "holder": result.holder}
    if suggestion_id:
        # Only the person's own, not yet settled suggestion may be updated.
        updated = Suggestion.objects.filter(pk=suggestion_id, user=user, door=door, case__isnull=True,
                                            settled_at__isnull=True).update(**values, updated_at=timezone.now())
        if updated:
            return Suggestion.objects.get(pk=suggestion_id)
    if case is not None:
        existing = Suggestion.objects.filter(case=case, door=door).first()
        if existing is not None:
            return existing
    return Suggestion.objects.create(door=door, user=user, case=case, **values)


def _outcome(suggestion, chosen) -> str:
    codes = [row["category"] for row in suggestion.offered]
    if codes and chosen.code == codes[0]:
        return Outcome.ACCEPTED
    return Outcome.ALTERNATIVE if chosen.code in codes else Outcome.OVERRIDDEN


@transaction.atomic
def settle(*, suggestion_id, user, case, chosen, clicked=False) -> Suggestion | None:
    """What the person chose for the matter the suggestion was offered for. The
    clerk's choice is recorded, never changed."""
    suggestion = Suggestion.objects.select_for_update().filter(pk=suggestion_id, user=user).first()
    if suggestion is None or (suggestion.case_id is not None and suggestion.case_id != case.pk):
        return None
    suggestion.case, suggestion.chosen, suggestion.clicked = case, chosen, clicked or suggestion.clicked
    suggestion.outcome, suggestion.settled_at = _outcome(suggestion, chosen), timezone.now()
    suggestion.save(update_fields=["case", "chosen", "clicked", "outcome", "settled_at", "updated_at"])
    return suggestion


def offer_for_case(*, case, user, door=Door.TRIAGE):
    """The triage page's suggestion for a registered matter, recorded against the
    matter with the category it carries now as the human choice so far."""
    result = suggest(narrative=case.narrative, county=county_of(region=case.region), region=case.region,
                     kind=case.kind)
    suggestion = record_offer(result=result, user=user, door=door, case=case)
    if suggestion is not None and suggestion.settled_at is None:
        settle(suggestion_id=suggestion.pk, user=suggestion.user, case=case, chosen=case.category)
    return result, suggestion
