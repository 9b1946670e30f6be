"""/api/v1/grid/ (mounted by governance.urls)."""
from rest_framework.routers import DefaultRouter

from grid.api import views

router = DefaultRouter()
router.register("grids", views.GridViewSet, basename="grid")
router.register("event-types", views.EventTypeViewSet, basename="event-type")
router.register("events", views.GridEventViewSet, basename="event")
router.register("patrols", views.PatrolViewSet, basename="patrol")
router.register("rewards", views.RewardLedgerViewSet, basename="reward")
urlpatterns = router.urls
