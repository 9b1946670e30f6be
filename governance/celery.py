"""The Celery app: broker and result backend are Redis in every mode."""
import os

from celery import Celery

from governance import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.development")
embedded.activate()

app = Celery("governance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Tasks by name and outcome, and each worker's /metrics port (governance.metrics).
from governance.metrics import connect_celery_signals  # noqa: E402

connect_celery_signals()
