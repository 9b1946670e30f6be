"""Petitions on the leaders' dashboards: petitions by statutory step, with a
case-list filter so every bar lists exactly its matters."""
from django.utils.translation import gettext_lazy as _

from governance.dashboards.measures import AppSeries, breakdown
from governance.extensions import CaseFilter
from petitions.choices import Step
from petitions.models import Petition

FILTERS = [
    CaseFilter("petition_step", _("Petition step"), tuple(Step.choices),
               lambda queryset, value: queryset.filter(petition__step=value)),
]


def by_step(scope):
    return breakdown(scope, Petition.objects.all(), case_field="case", group="step", labels=dict(Step.choices),
                     filter_name="petition_step")


SERIES = [AppSeries("petition-steps", _("Petitions by statutory step"), by_step)]
