"""/api/v1/intake/: the windows (the desk's own data). Registration and triage are
actions on the core's case endpoint (``intake.api.cases``, registered in apps.py)."""
from rest_framework.routers import DefaultRouter

from intake.api import views

router = DefaultRouter()
router.register("windows", views.WindowViewSet, basename="window")
urlpatterns = router.urls
