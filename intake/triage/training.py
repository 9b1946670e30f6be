"""Training a county's model from its own closed matters, and choosing which
version is in use. Called by the Celery tasks (intake/triage/tasks.py), the admin
and the demo; the fitting itself is intake/triage/learning.py.

A training is a TriageModel row: requested (queued), claimed by one worker with a
conditional UPDATE (so a redelivered task does nothing), fitted outside any
transaction with its progress written as it goes, then saved and put in use in
one short transaction. Whatever fails, the version in use stays in use."""
import hashlib
import logging
from collections import Counter, defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.choices import OPEN_STATUSES
from governance.models import Case, Region
from intake.triage import learning
from intake.triage.models import RUNNING_STATUSES, ModelStatus, TriageModel, TriageSettings

log = logging.getLogger(__name__)
# A training still "running" after this long died with its worker: it no longer blocks the next.
STALE_AFTER = timedelta(hours=2)


def counties():
    return Region.objects.filter(depth=1)


def history(county):
    """The county's closed matters, newest first: any matter no longer open, with the
    category it was finally handled under and the organisation holding it at the end."""
    return (Case.objects.filter(region__path__startswith=county.path).exclude(status__in=OPEN_STATUSES)
            .order_by("-created_at"))


def fingerprint(county, settings, algorithm=learning.DEFAULT) -> str:
    """Changes whenever a matter is closed, re-opened or re-categorised (one aggregate query)."""
    figures = history(county).aggregate(n=Count("id"), last=Max("updated_at"), ids=Sum("id"),
                                        categories=Sum("category_id"))
    text = "|".join(str(v) for v in (*figures.values(), settings.min_per_category, settings.max_matters,
                                     algorithm))
    return hashlib.sha256(text.encode()).hexdigest()


class TrainingRefused(Exception):
    """A training cannot be started now (one is already queued or running)."""


def _clear_stale(county):
    TriageModel.objects.filter(county=county, status__in=RUNNING_STATUSES,
                               requested_at__lt=timezone.now() - STALE_AFTER).update(
        status=ModelStatus.FAILED, error=_("Interrupted: the worker stopped before it finished."))


def request_training(*, county, trigger="admin", user=None, only_if_changed=False) -> TriageModel | None:
    """Queue a training of ``county``'s model; the caller sends the task after the
    commit. Returns None when ``only_if_changed`` and the data is what the model in
    use learnt from (the nightly run). Raises TrainingRefused while one is queued
    or running (the database's one-running constraint decides, not a check)."""
    settings = TriageSettings.for_county(county)
    if only_if_changed:
        active = TriageModel.objects.filter(county=county, is_active=True).only("fingerprint").first()
        if active is not None and active.fingerprint == fingerprint(county, settings):
            return None
    _clear_stale(county)
    try:
        with transaction.atomic():
            last = TriageModel.objects.filter(county=county).aggregate(v=Max("version"))["v"] or 0
            return TriageModel.objects.create(county=county, version=last + 1, trigger=trigger,
                                              requested_by=user, algorithm=learning.DEFAULT)
    except IntegrityError:
        raise TrainingRefused(_("A training of this county's model is already queued or running.")) from None


def _progress(model_id, percent, stage):
    TriageModel.objects.filter(pk=model_id).update(progress=percent, stage=stage)


def train(model_id) -> TriageModel | None:
    """Run the queued training ``model_id``. Idempotent: a training that is not
    queued any more (done, failed, or claimed by another worker) is left alone."""
    claimed = TriageModel.objects.filter(pk=model_id, status=ModelStatus.QUEUED).update(
        status=ModelStatus.TRAINING, started_at=timezone.now(), progress=1, stage="loading")
    if not claimed:
        return None
    model = TriageModel.objects.select_related("county").defer("blob").get(pk=model_id)
    try:
        _train(model)
    except Exception as error:  # whatever it was, the version in use stays in use
        log.exception("triage training %s failed", model_id)
        with translation.override("zh-hans"):
            message = _("Training failed: %(error)s") % {"error": f"{type(error).__name__}: {error}"[:1500]}
        TriageModel.objects.filter(pk=model_id).update(status=ModelStatus.FAILED, error=message, stage="failed")
    return TriageModel.objects.defer("blob").get(pk=model_id)


def _train(model):
    county, settings = model.county, TriageSettings.for_county(model.county)
    data = fingerprint(county, settings, model.algorithm)
    rows = list(history(county).values_list("narrative", "category__code", "holder_id")[:settings.max_matters])
    counts = Counter(row[1] for row in rows)
    kept = {code for code, n in counts.items() if n >= settings.min_per_category}
    rows = [row for row in rows if row[1] in kept and row[0].strip()]
    if len(rows) < settings.min_matters or len(kept) < 2:
        with translation.override("zh-hans"):
            message = _("Too little history: %(count)s closed matters in %(categories)s categories; "
                        "%(needed)s are needed.") % {"count": len(rows), "categories": len(kept),
                                                     "needed": settings.min_matters}
        TriageModel.objects.filter(pk=model.pk).update(status=ModelStatus.SKIPPED, error=message, stage="",
                                                       matters=len(rows), fingerprint=data)
        return
    _progress(model.pk, 10, "fitting")
    fitted = learning.fit([row[0] for row in rows], [row[1] for row in rows], algorithm=model.algorithm,
                          progress=lambda percent, stage: _progress(model.pk, percent, stage))
    _progress(model.pk, 90, "saving")
    holders = defaultdict(Counter)
    for row in rows:
        holders[row[1]][str(row[2])] += 1
    blob = fitted.predictor.dumps()
    with transaction.atomic():
        TriageModel.objects.filter(county=county, is_active=True).update(is_active=False)
        TriageModel.objects.filter(pk=model.pk).update(
            status=ModelStatus.READY, is_active=True, blob=blob, trained_at=timezone.now(), progress=100, stage="",
            matters=len(rows), categories=len(kept), heldout_top1=fitted.heldout_top1,
            heldout_top3=fitted.heldout_top3, seconds=fitted.seconds, fingerprint=data,
            holders={code: dict(counter) for code, counter in holders.items()}, error="")


class ActivationRefused(Exception):
    pass


@transaction.atomic
def activate(*, model_id) -> TriageModel:
    """Put a ready version in use (roll back to an earlier one, or forward again)."""
    model = TriageModel.objects.defer("blob").filter(pk=model_id).first()
    if model is None or model.status != ModelStatus.READY:
        raise ActivationRefused(_("Only a model that finished training can be put in use."))
    TriageModel.objects.filter(county_id=model.county_id, is_active=True).exclude(pk=model.pk).update(is_active=False)
    TriageModel.objects.filter(pk=model.pk).update(is_active=True)
    model.is_active = True
    return model
