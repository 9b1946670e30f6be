from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from governance.api import views

router = DefaultRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("regions", views.RegionViewSet, basename="region")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
