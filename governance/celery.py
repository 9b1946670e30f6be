"""The Celery app: broker and result backend are Redis in every mode."""
import os

from celery import Celery

from governance import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.development")
embedded.activate()

app = Celery("governance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
