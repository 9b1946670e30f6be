from django.urls import include, path

from intake import views

urlpatterns = [
    path("", views.desk, name="intake-desk"),
    path("places/", views.places, name="intake-places"),
    path("visitor/", views.visitor, name="intake-visitor"),
    path("cases/<int:case_id>/repeat-visit/", views.link_repeat_visit, name="intake-repeat-visit"),
    path("cases/<int:case_id>/triage/", views.triage, name="intake-triage"),
    path("cases/<int:case_id>/triage/<str:action>/", views.triage_action, name="intake-triage-action"),
    path("cases/<int:case_id>/receipt/", views.receipt, name="intake-receipt"),
    path("attachments/<int:attachment_id>/", views.attachment, name="intake-attachment"),
    path("triage/", include("intake.triage.urls")),
]
