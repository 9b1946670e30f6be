"""The intake app's own endpoints."""
from rest_framework import serializers, viewsets

from intake.models import Window


class WindowSerializer(serializers.ModelSerializer):
    center = serializers.CharField(source="center.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Window
        fields = ["id", "center", "number", "kind", "kind_label", "name", "is_active"]


class WindowViewSet(viewsets.ReadOnlyModelViewSet):
    """The intake windows of the caller's county (``?mine=true``: where the caller works)."""

    serializer_class = WindowSerializer
    queryset = Window.objects.none()  # for the schema

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        windows = Window.objects.select_related("center").order_by("center__region__path", "number")
        if self.request.query_params.get("mine") == "true":
            return windows.filter(clerks=user)
        if user.is_superuser:
            return windows
        if user.organisation_id is None:
            return windows.none()
        return windows.filter(center__region__path__startswith=user.organisation.region.county_path)
