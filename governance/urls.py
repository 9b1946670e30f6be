"""The project's URLs: the core's pages and API, then what each app brings (its
``AppConfig.urls`` pages and its ``<app>.api.urls`` router at /api/v1/<app>/),
found at start-up so the core names no app."""
from importlib.util import find_spec

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from governance import health
from governance.cases import views as case_views
from governance.dashboards import views as dashboard_views
from governance.notifications import views as notification_views
from governance.privacy import views as privacy_views
from governance.supervision import views as supervision_views


def app_urls():
    """Each installed app's pages and API router (apps other than the core)."""
    patterns = []
    for config in apps.get_app_configs():
        if config.name == "governance" or not config.name.isidentifier():
            continue
        for prefix, module in getattr(config, "urls", ()):
            patterns.append(path(prefix, include(module)))
        if _has_module(f"{config.name}.api.urls"):
            patterns.append(path(f"api/v1/{config.label}/", include((f"{config.name}.api.urls", config.label),
                                                                   namespace=f"api-{config.label}")))
    return patterns


def _has_module(name):
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/export.xlsx", dashboard_views.dashboard_export, name="dashboard-export"),
    path("warnings/", dashboard_views.warning_list, name="warnings"),
    path("warnings/<int:warning_id>/acknowledge/", dashboard_views.warning_acknowledge, name="warning-acknowledge"),
    path("bulletins/", dashboard_views.bulletin_list, name="bulletins"),
    path("bulletins/<int:bulletin_id>/", dashboard_views.bulletin_page, name="bulletin"),
    path("bulletins/<int:bulletin_id>/workbook.xlsx", dashboard_views.bulletin_workbook, name="bulletin-workbook"),
    path("cases/", case_views.case_list, name="case-list"),
    path("cases/export.xlsx", privacy_views.case_export, name="case-export"),
    path("cases/<int:case_id>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/status/", case_views.case_change_status, name="case-change-status"),
    path("cases/<int:case_id>/reveal/", privacy_views.case_reveal, name="case-reveal"),
    path("cases/<int:case_id>/move/", supervision_views.case_move_view, name="case-move"),
    path("supervision/", supervision_views.supervision_list, name="supervision"),
    path("cases/<int:case_id>/supervise/", supervision_views.case_supervise, name="case-supervise"),
    path("cases/<int:case_id>/flag-risk/", supervision_views.case_flag_risk, name="case-flag-risk"),
    path("inbox/", notification_views.inbox, name="inbox"),
    path("inbox/<int:notification_id>/open/", notification_views.open_notification, name="notification-open"),
    path("inbox/read-all/", notification_views.mark_all_read, name="notifications-read-all"),
    path("healthz/", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("governance.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's bundle writes its own <style> elements: inline styles on this page only
    # (its script is a static file all the same; nothing typed by a citizen is shown here).
    path("api/docs/", csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
         name="api-docs"),
    *app_urls(),
]

handler400 = "governance.web.bad_request"
handler403 = "governance.web.permission_denied"
handler404 = "governance.web.page_not_found"
handler500 = "governance.web.server_error"
