from django.urls import include, path
from rest_framework.routers import DefaultRouter

from governance import extensions
from governance.accounts.views import TokenView
from governance.api import views
from governance.dashboards import api as dashboard_api


def case_viewset():
    """The case viewset with every app's registered actions mixed in."""
    mixins = extensions.case_api_mixins()
    return type("CaseViewSet", (*mixins, views.CaseViewSet), {"__module__": views.__name__,
                                                               "__doc__": views.CaseViewSet.__doc__})


router = DefaultRouter()
router.register("cases", case_viewset(), basename="case")
router.register("regions", views.RegionViewSet, basename="region")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("dashboard/summary/", dashboard_api.SummaryView.as_view(), name="dashboard-summary"),
    path("dashboard/series/<slug:name>/", dashboard_api.SeriesView.as_view(), name="dashboard-series"),
    path("", include(router.urls)),
]
