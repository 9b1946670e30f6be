"""Mounted at /api/v1/petitions/ (governance.urls finds it): the petitions at the
router's root, so ``POST /api/v1/petitions/`` registers one and
``/api/v1/petitions/{id}/`` reads it; ids are digits, so the named lists do not clash."""
from rest_framework.routers import SimpleRouter

from petitions.api import reception, views

router = SimpleRouter()
router.register("reception-days", reception.ReceptionDayViewSet, basename="reception-day")
router.register("appointments", reception.AppointmentViewSet, basename="appointment")
router.register("", views.PetitionViewSet, basename="petition")
urlpatterns = router.urls
