from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from governance import views
from governance.notifications import views as notification_views

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/status/", views.case_change_status, name="case-change-status"),
    path("cases/<int:case_id>/move/", views.case_move_view, name="case-move"),
    path("supervision/", views.supervision_list, name="supervision"),
    path("cases/<int:case_id>/supervise/", views.case_supervise, name="case-supervise"),
    path("cases/<int:case_id>/flag-risk/", views.case_flag_risk, name="case-flag-risk"),
    path("inbox/", notification_views.inbox, name="inbox"),
    path("inbox/<int:notification_id>/open/", notification_views.open_notification, name="notification-open"),
    path("inbox/read-all/", notification_views.mark_all_read, name="notifications-read-all"),
    path("intake/", include("intake.urls")),
    path("healthz/", views.healthz, name="healthz"),
    path("public/", include("intake.public.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("intake.open311.urls")),
    path("api/v1/", include(("governance.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
