"""/api/v1/mediation/: mediations and their steps, sessions, rooms, mediators, the monthly report."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from mediation.api import views

router = DefaultRouter()
router.register("mediations", views.MediationViewSet, basename="mediation")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("rooms", views.RoomViewSet, basename="room")
router.register("mediators", views.MediatorViewSet, basename="mediator")
urlpatterns = [
    path("reports/monthly/", views.MonthlyReportView.as_view(), name="monthly-report"),
    *router.urls,
]
