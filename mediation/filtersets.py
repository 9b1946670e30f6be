"""The mediation list's filters, shared by the pages and the API."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mediation.choices import MediationStatus, Outcome
from mediation.models import Mediation


class MediationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("status"), choices=MediationStatus.choices)
    outcome = django_filters.ChoiceFilter(label=_("outcome"), choices=Outcome.choices)
    lead = django_filters.CharFilter(label=_("lead mediator (username)"), field_name="lead__username")
    body = django_filters.NumberFilter(label=_("mediation body (id)"), field_name="body_id")
    case = django_filters.NumberFilter(label=_("matter (id)"), field_name="case_id")
    number = django_filters.CharFilter(label=_("matter number"), field_name="case__number")
    mine = django_filters.BooleanFilter(label=_("mine (lead or team)"), method="filter_mine")
    opened_after = django_filters.DateFilter(label=_("opened on or after"), field_name="opened_at",
                                             lookup_expr="date__gte")
    opened_before = django_filters.DateFilter(label=_("opened on or before"), field_name="opened_at",
                                              lookup_expr="date__lte")

    class Meta:
        model = Mediation
        fields = []

    def __init__(self, *args, request_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = request_user or getattr(self.request, "user", None)

    def filter_mine(self, queryset, name, value):
        if not value or self.request_user is None:
            return queryset
        user = self.request_user
        return queryset.filter(Q(lead=user) | Q(members__user=user)).distinct()
