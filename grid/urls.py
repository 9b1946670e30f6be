from django.urls import path

from grid.views import events, oversight, worker

urlpatterns = [
    path("", worker.home, name="grid-home"),
    path("report/", worker.report, name="grid-report"),
    path("events/", events.event_list, name="grid-events"),
    path("events/<int:event_id>/", events.event_detail, name="grid-event"),
    path("events/<int:event_id>/photos/", worker.event_photos, name="grid-event-photos"),
    path("events/<int:event_id>/<str:action>/", events.event_action, name="grid-event-action"),
    path("photos/<int:photo_id>/", worker.photo, name="grid-photo"),
    path("patrols/", worker.patrols, name="grid-patrols"),
    path("overview/", oversight.grid_overview, name="grid-overview"),
    path("map/", oversight.grid_map, name="grid-map"),
    path("coverage/", oversight.coverage, name="grid-coverage"),
    path("rewards/", oversight.reward_ledger, name="grid-rewards"),
]
