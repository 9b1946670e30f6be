"""Every measure of the dashboards, defined once: what it counts (a column of the
daily summary, ``MatterDay``), over what, in words, and the case-list filters that
list exactly the matters counted (the drill-down).

Every measure counts the matters registered in the chosen period within the chosen
place. Apps add measures of their own records with ``register_measure`` (an
``AppMeasure`` computes itself); the core's come from the summary.
"""
from dataclasses import dataclass, field
from typing import Callable

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    definition: str
    numerator: str  # a MatterDay column
    denominator: str | None = None  # a MatterDay column; None: a plain count
    kind: str | None = None  # count only matters of this kind (the summary's kind rows)
    drill: dict = field(default_factory=dict)  # case-list filters for the numerator
    denominator_drill: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AppMeasure:
    """A measure an app computes from its own records: ``compute(region, date_from,
    date_to)`` returns (numerator, denominator or None, drill-down filters)."""

    key: str
    label: str
    definition: str
    compute: Callable


MEASURES = [
    Measure("intake", _("Matters taken in"), _("Matters registered in the period, from every channel."),
            "registered"),
    Measure("resolution_rate", _("Resolution rate (化解率)"),
            _("Matters resolved / matters registered in the period."),
            "resolved", "registered", drill={"resolved": "true"}),
    Measure("on_time_rate", _("On-time rate (按期办结率)"),
            _("Matters resolved within the limit in force when they were resolved / matters resolved "
              "(of those registered in the period)."),
            "resolved_on_time", "resolved", drill={"resolved_on_time": "true"},
            denominator_drill={"resolved": "true"}),
    Measure("first_visit_rate", _("First-visit resolution (一次性化解率)"),
            _("First-time petitions settled at the first visit (no repeat visit before they were resolved) / "
              "first-time petitions registered in the period."),
            "settled_first_visit", "registered", kind="petition",
            drill={"kind": "petition", "settled_first_visit": "true"}, denominator_drill={"kind": "petition"}),
    Measure("repeat_rate", _("Repeat-visit rate (重复访率)"),
            _("Matters with more than one visit / matters registered in the period."),
            "repeat", "registered", drill={"repeat": "true"}),
    Measure("in_village", _("Settled in the village (不出村)"),
            _("Resolved disputes settled at the village tier / resolved disputes."),
            "settled_village", "resolved", kind="dispute", drill={"kind": "dispute", "resolved_tier": "village"},
            denominator_drill={"kind": "dispute", "resolved": "true"}),
    Measure("in_town", _("Settled in the town (不出镇)"),
            _("Resolved disputes settled at the town tier / resolved disputes."),
            "settled_town", "resolved", kind="dispute", drill={"kind": "dispute", "resolved_tier": "town"},
            denominator_drill={"kind": "dispute", "resolved": "true"}),
    Measure("in_county", _("Settled at the county (不上交)"),
            _("Resolved disputes settled at the county tier / resolved disputes."),
            "settled_county", "resolved", kind="dispute", drill={"kind": "dispute", "resolved_tier": "county"},
            denominator_drill={"kind": "dispute", "resolved": "true"}),
    Measure("escalated_village", _("Escalated from the village"),
            _("Matters registered in the period that moved up from the village tier."),
            "escalated_village", drill={"escalated_from": "village"}),
    Measure("escalated_town", _("Escalated from the town"),
            _("Matters registered in the period that moved up from the town tier."),
            "escalated_town", drill={"escalated_from": "town"}),
    Measure("overdue", _("Overdue at the county"),
            _("Matters registered in the period that ran past the county's limit (督办)."),
            "overdue", drill={"overdue_marked": "true"}),
    Measure("open", _("Still open"), _("Matters registered in the period and not yet resolved, closed or "
                                       "terminated (as of the summary's time)."),
            "open", drill={"open": "true"}),
]

@dataclass(frozen=True)
class AppSeries:
    """A chart an app adds (grid events by loop step, petitions by statutory step...):
    ``compute(scope)`` returns items {key, label, count, drilldown (case-list filters)}."""

    key: str
    label: str
    compute: Callable


_app_measures: list[AppMeasure] = []
_app_series: dict[str, AppSeries] = {}


def register_measure(measure: AppMeasure):
    """An app's measure (mediation rate, satisfaction, grid events...), from its ready()."""
    if all(existing.key != measure.key for existing in _app_measures):
        _app_measures.append(measure)


def app_measures() -> list[AppMeasure]:
    return list(_app_measures)


def register_series(series: AppSeries):
    _app_series[series.key] = series


def app_series() -> dict[str, AppSeries]:
    return dict(_app_series)


def breakdown(scope, records, *, case_field, group, labels, filter_name):
    """Count an app's ``records`` of the matters registered in the scope's period and
    place, grouped by ``group`` (one aggregate); each item drills down with the case
    filter ``filter_name`` (registered by the app) set to the group's value."""
    from governance.dashboards.selectors import day_range

    of_matters = prefixed(day_range(scope.date_from, scope.date_to), f"{case_field}__") & Q(
        **{f"{case_field}__region__path__startswith": scope.region.path})
    rows = records.filter(of_matters).values(group).order_by().annotate(count=Count(case_field, distinct=True))
    items = [{"key": str(row[group]), "label": str(labels.get(row[group], row[group])), "count": row["count"],
              "drilldown": scope.drill_params({filter_name: str(row[group])})} for row in rows]
    return sorted(items, key=lambda item: -item["count"])


def prefixed(condition: Q, prefix: str) -> Q:
    """``condition`` on a related model's fields (Q(created_at__gte=x) -> Q(case__created_at__gte=x))."""
    result = Q()
    result.connector, result.negated = condition.connector, condition.negated
    for child in condition.children:
        result.children.append(prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1]))
    return result
