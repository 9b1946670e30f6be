from django.urls import path

from petitions.views import boards, desk, petition, reception

urlpatterns = [
    path("", petition.home, name="petitions-home"),
    path("new/", desk.register, name="petitions-register"),
    path("new/person/", desk.person_row, name="petitions-person-row"),
    path("new/candidates/", desk.candidates, name="petitions-candidates"),
    path("open/<int:case_id>/", desk.open_record, name="petitions-open"),
    path("backlog/", boards.backlog, name="petitions-backlog"),
    path("owned/", boards.owned, name="petitions-owned"),
    path("stats/", boards.stats, name="petitions-stats"),
    path("reception/", reception.calendar, name="petitions-reception"),
    path("reception/book/", reception.book, name="petitions-book"),
    path("reception/plan/", reception.plan, name="petitions-plan"),
    path("reception/<int:appointment_id>/cancel/", reception.cancel, name="petitions-cancel"),
    path("reception/<int:appointment_id>/record/", reception.record, name="petitions-record"),
    path("documents/<int:document_id>/", petition.document, name="petitions-document"),
    path("<int:case_id>/", petition.detail, name="petitions-detail"),
    path("<int:case_id>/act/<str:action>/", petition.act, name="petitions-act"),
    path("<int:case_id>/documents/<int:document_id>/serve/", petition.serve, name="petitions-serve"),
    path("<int:case_id>/ownership/", boards.assign, name="petitions-assign"),
    path("<int:case_id>/ownership/<int:ownership_id>/<str:what>/", boards.ownership_post,
         name="petitions-ownership"),
]
