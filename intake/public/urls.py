from django.urls import path

from intake.public import views

urlpatterns = [
    path("", views.submit, name="public-submit"),
    path("submitted/", views.submitted, name="public-submitted"),
    path("places/", views.places, name="public-places"),
    path("status/", views.status, name="public-status"),
]
