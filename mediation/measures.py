"""Mediation's figures on the leaders' dashboards (DOMAIN.md: 调处率, 调处成功率,
回访满意率), and the case-list filters their drill-downs use. Each counts matters
registered in the period within the place, like the core's figures."""
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from governance.dashboards.measures import AppMeasure, prefixed
from governance.dashboards.selectors import Scope, day_range, live, registered
from governance.extensions import CaseFilter
from mediation.choices import MediationStatus, Outcome
from mediation.models import FollowUp, Mediation

SATISFIED = 3  # levels 3-5 of five count as satisfied (mediation.choices.Satisfaction)
YES = (("true", _("Yes")),)


def _mediated():
    """Matters that went to mediation: a mediation accepted (not only proposed, not declined)."""
    return Mediation.objects.filter(case=OuterRef("pk")).exclude(
        status__in=[MediationStatus.PROPOSED, MediationStatus.DECLINED])


def _settled():
    return Mediation.objects.filter(case=OuterRef("pk"), outcome=Outcome.SUCCESS)


def _followed_up():
    return FollowUp.objects.filter(mediation__case=OuterRef("pk"))


def _satisfied():
    """The latest follow-up of the matter says satisfied."""
    latest = FollowUp.objects.filter(mediation__case=OuterRef(OuterRef("pk"))).order_by("-at", "-id")
    return FollowUp.objects.filter(pk=latest.values("pk")[:1], satisfaction__gte=SATISFIED)


FILTERS = {
    "mediated": CaseFilter("mediated", _("Went to mediation"), YES, lambda qs, v: qs.filter(Exists(_mediated()))),
    "mediation_settled": CaseFilter("mediation_settled", _("Settled by mediation"), YES,
                                    lambda qs, v: qs.filter(Exists(_settled()))),
    "followed_up": CaseFilter("followed_up", _("Followed up"), YES, lambda qs, v: qs.filter(Exists(_followed_up()))),
    "follow_up_satisfied": CaseFilter("follow_up_satisfied", _("Satisfied at the follow-up"), YES,
                                      lambda qs, v: qs.filter(Exists(_satisfied()))),
}


def _counts(region, date_from, date_to):
    """The three rates share these counts: counted once per place and period (kept as
    the dashboards keep live figures)."""
    return live("mediation-counts", Scope(region, date_from, date_to),
                lambda: _count(region, date_from, date_to))[0]


def _count(region, date_from, date_to):
    """Counted from the mediations' side (far fewer rows than the matters), one query
    each over the mediations of matters registered in the period within the place."""
    of_matters = Q(case__region__path__startswith=region.path) & prefixed(day_range(date_from, date_to), "case__")
    mediations = Mediation.objects.filter(of_matters).exclude(
        status__in=[MediationStatus.PROPOSED, MediationStatus.DECLINED])
    follow_ups = FollowUp.objects.filter(prefixed(of_matters, "mediation__"))
    latest = follow_ups.order_by("mediation__case_id", "-at", "-id").distinct("mediation__case_id")
    return {
        "registered": registered(Scope(region, date_from, date_to)),
        "mediated": mediations.values("case_id").distinct().count(),
        "settled": mediations.filter(outcome=Outcome.SUCCESS).values("case_id").distinct().count(),
        "followed_up": follow_ups.values("mediation__case_id").distinct().count(),
        "satisfied": FollowUp.objects.filter(pk__in=latest.values("pk"), satisfaction__gte=SATISFIED).count(),
    }


def _drill(region, date_from, date_to, **extra):
    return {"registered_from": date_from.isoformat(), "registered_to": date_to.isoformat(),
            "region": region.code, "count": "exact", **extra}


def mediation_rate(region, date_from, date_to):
    counts = _counts(region, date_from, date_to)
    return counts["mediated"], counts["registered"], _drill(region, date_from, date_to, mediated="true")


def mediation_success(region, date_from, date_to):
    counts = _counts(region, date_from, date_to)
    return counts["settled"], counts["mediated"], _drill(region, date_from, date_to, mediation_settled="true")


def satisfaction(region, date_from, date_to):
    counts = _counts(region, date_from, date_to)
    return counts["satisfied"], counts["followed_up"], _drill(region, date_from, date_to,
                                                                follow_up_satisfied="true")


MEASURES = [
    AppMeasure("mediation_rate", _("Mediation rate (调处率)"),
               _("Matters that went to mediation (a mediation accepted) / matters registered in the period."),
               mediation_rate),
    AppMeasure("mediation_success", _("Mediation success (调处成功率)"),
               _("Matters settled by mediation / matters that went to mediation (registered in the period)."),
               mediation_success),
    AppMeasure("satisfaction", _("Satisfaction at follow-up (回访满意率)"),
               _("Matters whose latest follow-up visit found the party satisfied (3 to 5 of five) / matters "
                 "followed up (registered in the period)."),
               satisfaction),
]
