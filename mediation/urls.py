from django.urls import path

from mediation.views import desk, pages

urlpatterns = [
    path("", desk.desk, name="mediation-desk"),
    path("list/", desk.mediation_list, name="mediation-list"),
    path("open/<int:case_id>/", pages.open_mediation, name="mediation-open"),
    path("<int:mediation_id>/", pages.mediation_detail, name="mediation-detail"),
    path("<int:mediation_id>/<slug:name>/", pages.mediation_step, name="mediation-step"),
    path("sessions/<int:session_id>/<slug:name>/", pages.session_action, name="mediation-session-action"),
    path("schedules/", desk.schedules, name="mediation-schedules"),
    path("rooms/<int:room_id>/week/", desk.room_week, name="mediation-room-week"),
    path("people/<int:user_id>/week/", desk.person_week, name="mediation-person-week"),
    path("report/", desk.report, name="mediation-report"),
    path("report.xlsx", desk.report_xlsx, name="mediation-report-xlsx"),
    path("agreements/<int:agreement_id>/print/", desk.agreement_print, name="mediation-agreement-print"),
]
