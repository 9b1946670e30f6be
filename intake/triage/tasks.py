"""Thin Celery tasks for triage, on their own queue ("training", see
CELERY_TASK_ROUTES): a training can take a minute of CPU and must not hold up the
sweep or the notifications on the default queue."""
from celery import shared_task
from django.db import transaction

QUEUE = "training"


@shared_task(ignore_result=True, acks_late=True)
def train_triage_model(model_id):
    """Run one queued training. Idempotent: a training already claimed, done or
    failed is left alone, so a redelivered message trains nothing twice."""
    from intake.triage.training import train

    model = train(model_id)
    return None if model is None else model.status


@shared_task(ignore_result=True)
def train_triage_models_nightly():
    """Run by beat every night: queue a training for each county whose closed matters
    changed since the model in use (and whose admins keep the nightly run on)."""
    from intake.triage.models import TriageSettings
    from intake.triage.training import TrainingRefused, counties, request_training

    queued = []
    for county in counties():
        if not TriageSettings.for_county(county).nightly:
            continue
        try:
            model = request_training(county=county, trigger="nightly", only_if_changed=True)
        except TrainingRefused:
            continue  # one is running already
        if model is not None:
            queued.append(model.pk)
            transaction.on_commit(lambda pk=model.pk: train_triage_model.delay(pk))
    return queued
