"""intake's Celery tasks (found by Celery's autodiscovery of ``<app>.tasks``)."""
from intake.triage.tasks import train_triage_model, train_triage_models_nightly  # noqa: F401
