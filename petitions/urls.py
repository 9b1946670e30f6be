from django.urls import path

from petitions import views

urlpatterns = [
    path("", views.home, name="petitions-home"),
    path("documents/<int:document_id>/", views.document, name="petitions-document"),
]
