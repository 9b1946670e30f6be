"""The API's filter backend: django-filter's, refusing a filter given empty.

On the pages an empty select means "all" and is left out; an API client sending
``?status=`` has made a mistake (the schema lists the values), so it learns it
with a 400 instead of getting every matter back silently."""
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = [name for name in filterset_class.base_filters
                     if "" in request.query_params.getlist(name)]
            if empty:
                raise ValidationError({name: [_("Leave this filter out, or give it a value.")] for name in empty})
        return super().filter_queryset(request, queryset, view)
