"""/api/v1/intake/: the windows (the desk's own data) and triage suggestions.
Registration and triage are actions on the core's case endpoint
(``intake.api.cases``, registered in apps.py)."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from intake.api import views
from intake.triage.api import SuggestView

router = DefaultRouter()
router.register("windows", views.WindowViewSet, basename="window")
urlpatterns = [path("suggest/", SuggestView.as_view(), name="intake-suggest"), *router.urls]
