from django.urls import path

from intake.triage import views

urlpatterns = [
    path("suggest/", views.suggest_panel, name="intake-triage-suggest"),
    path("similar/", views.similar_panel, name="intake-triage-similar"),
    path("cases/<int:case_id>/category/", views.recategorise, name="intake-triage-recategorise"),
]
