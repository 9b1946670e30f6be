import gc
import os

from django.core.wsgi import get_wsgi_application

from governance import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.development")
embedded.activate()
application = get_wsgi_application()

# What start-up leaves (Django, the URLconf and the views it imports, numpy for triage:
# some 250,000 objects) lives as long as the worker, yet every full garbage collection
# walked it again: 120 ms, every 18 or so requests of the matter list (its p95 150-176 ms
# against a p50 of 30 ms at a million matters). Load the URLconf now rather than at the
# first request, then move all of it out of the collector's sight.
from django.urls import get_resolver  # noqa: E402 - after the application has set Django up

get_resolver().url_patterns
gc.freeze()
