"""Reads for the dashboards: the measures and each chart's series for a place and a
period, one aggregate query each over the daily summary (and one over the open
matters for their ages)."""
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Left
from django.utils import timezone

from governance.cases.models import Case, Category
from governance.choices import OPEN_STATUSES, Channel, RegionLevel
from governance.dashboards.measures import MEASURES, app_measures, app_series
from governance.dashboards.models import Dimension, MatterDay
from governance.dashboards.rollup import refreshed_at
from governance.places.models import Region

AGE_BUCKETS = [(0, 7), (8, 30), (31, 90), (91, 365), (366, None)]


class OutOfScope(Exception):
    """The place is not within the person's view (a 404, as everywhere)."""


@dataclass(frozen=True)
class Scope:
    region: Region
    date_from: date
    date_to: date

    def drill_params(self, extra=None) -> dict:
        """The case-list filters of the matters a figure counts; the list then counts exactly."""
        return {"registered_from": self.date_from.isoformat(), "registered_to": self.date_to.isoformat(),
                "region": self.region.code, "count": "exact", **(extra or {})}


def home_region(user) -> Region | None:
    """Where a person's dashboard starts: their organisation's place (None for nobody)."""
    if user.is_superuser and not user.organisation_id:
        return Region.objects.filter(depth=1).order_by("path").first()
    if user.organisation_id is None:
        return None
    return Region.objects.filter(organisations__id=user.organisation_id).first()


def scope_for(*, user, region_code=None, date_from=None, date_to=None) -> Scope:
    """The place and period a person asks for, checked: a place within their own
    (county, town or village), else OutOfScope."""
    home = home_region(user)
    if home is None:
        raise OutOfScope
    region = home
    if region_code:
        region = Region.objects.filter(code=region_code, path__startswith=home.path,
                                       level__in=(RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE)).first()
        if region is None:
            raise OutOfScope
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or date_to.replace(month=1, day=1)
    return Scope(region, date_from, date_to)


def _rows(scope: Scope, *dimensions):
    return MatterDay.objects.filter(
        dimension__in=dimensions, day__gte=scope.date_from, day__lte=scope.date_to,
        place__path__startswith=scope.region.path,
    )


# (kind or "all", column): only the sums the measures read (14 of 36 kind-and-column
# pairs), as each is one more step for every summary row the aggregate reads.
SUMMARY_SUMS = sorted({(measure.kind or "all", column) for measure in MEASURES
                       for column in (measure.numerator, measure.denominator) if column})


def summary(scope: Scope) -> dict:
    """Every measure: key, label, numerator, denominator, value, definition, drill-down."""
    totals = _rows(scope, Dimension.ALL, Dimension.KIND).aggregate(**{
        f"{prefix}__{column}": Coalesce(Sum(column, filter=Q(dimension=Dimension.ALL) if prefix == "all" else
                                            Q(dimension=Dimension.KIND, value=prefix)), 0)
        for prefix, column in SUMMARY_SUMS})
    figures = []
    for measure in MEASURES:
        prefix = measure.kind or "all"
        numerator = totals[f"{prefix}__{measure.numerator}"]
        denominator = totals[f"{prefix}__{measure.denominator}"] if measure.denominator else None
        figures.append(_figure(scope, measure.key, measure.label, measure.definition, numerator, denominator,
                               measure.drill, measure.denominator_drill if measure.denominator else None))
    apps_as_of = None
    for measure in app_measures():
        (numerator, denominator, drill), at = _app_measure(measure, scope)
        apps_as_of = at if apps_as_of is None else min(apps_as_of, at)
        figures.append(_figure(scope, measure.key, measure.label, measure.definition, numerator, denominator,
                               drill, None, app=True))
    return {"figures": figures, "as_of": refreshed_at(), "apps_as_of": apps_as_of, "scope": scope}


# While ``warm`` runs: the cache keys it has counted again so far. Every live figure read
# meanwhile is counted again once, those it reads in turn too (mediation's three rates
# share one set of counts, itself a live figure): none is stamped "counted now" while
# resting on counts kept from before.
_warming: ContextVar[set | None] = ContextVar("dashboard_warming", default=None)


def live(name: str, scope: Scope, compute):
    """(value, counted at) of a figure kept in the cache (a core chart's key carries the
    summary's time, see ``chart``). Above all the apps' figures, counted live from their
    records: they join them to the period's matters, a second or more each over a
    million matters, so they are kept in the cache for
    DASHBOARD_CACHE_SECONDS per place and period, and ``warm_dashboards`` (beat, every
    DASHBOARD_WARM_SECONDS) counts the usual views again before they expire: leaders
    opening the dashboards read figures that say when they were counted, and never wait
    for them."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute(), timezone.now()
    key = f"dashboard:{name}:{scope.region.pk}:{scope.date_from}:{scope.date_to}"
    warmed = _warming.get()
    found = None
    if warmed is None or key in warmed:
        found = cache.get(key)
    else:
        warmed.add(key)
    if found is None:
        found = (compute(), timezone.now())
        cache.set(key, found, seconds)
    return found


def _app_measure(measure, scope: Scope):
    return live(f"measure:{measure.key}", scope,
                lambda: measure.compute(scope.region, scope.date_from, scope.date_to))


def _app_series(series, scope: Scope):
    return live(f"series:{series.key}", scope, lambda: series.compute(scope))


def app_charts(scope: Scope) -> tuple[dict, datetime | None]:
    """Every app's series for the scope, and when the oldest of them was counted."""
    charts, oldest = {}, None
    for series in app_series().values():
        charts[series.key], at = _app_series(series, scope)
        oldest = at if oldest is None else min(oldest, at)
    return charts, oldest


def warm(scope: Scope) -> None:
    """Count every app figure and series of the scope now, into the cache."""
    token = _warming.set(set())
    try:
        for measure in app_measures():
            _app_measure(measure, scope)
        app_charts(scope)
    finally:
        _warming.reset(token)


def usual_scopes():
    """What leaders open: the county and each town, this year to date (the page's default)
    and the last twelve months."""
    today = timezone.localdate()
    periods = [(today.replace(month=1, day=1), today), (today - timedelta(days=365), today)]
    for region in Region.objects.filter(level__in=(RegionLevel.COUNTY, RegionLevel.TOWN)).order_by("path"):
        for first, last in periods:
            yield Scope(region, first, last)


def registered(scope: Scope) -> int:
    """Matters registered in the scope's period and place (from the summary)."""
    return _rows(scope, Dimension.ALL).aggregate(n=Coalesce(Sum("registered"), 0))["n"]


def _figure(scope, key, label, definition, numerator, denominator, drill, denominator_drill, app=False):
    value = numerator if denominator is None else (round(numerator / denominator, 4) if denominator else None)
    return {
        "key": key, "label": str(label), "definition": str(definition), "numerator": numerator,
        "denominator": denominator, "value": value, "is_rate": denominator is not None,
        "drilldown": drill if app else scope.drill_params(drill),
        "denominator_drilldown": None if denominator_drill is None else scope.drill_params(denominator_drill),
    }


def drill_query(params) -> str:
    return urlencode(params, doseq=True)


# -- chart series -------------------------------------------------------------------

def trend(scope: Scope) -> list[dict]:
    """Matters registered and (of those) resolved, per registration day."""
    rows = (_rows(scope, Dimension.ALL).values("day").order_by("day")
            .annotate(registered=Sum("registered"), resolved=Sum("resolved")))
    return [{"day": row["day"].isoformat(), "registered": row["registered"], "resolved": row["resolved"],
             "drilldown": scope.drill_params({"registered_from": row["day"].isoformat(),
                                               "registered_to": row["day"].isoformat()})}
            for row in rows]


def by_category(scope: Scope) -> list[dict]:
    rows = (_rows(scope, Dimension.CATEGORY).values("value").order_by()
            .annotate(registered=Sum("registered"), resolved=Sum("resolved")).order_by("-registered"))
    categories = {str(pk): (code, name) for pk, code, name in Category.objects.values_list("pk", "code", "name")}
    return [{"key": categories[row["value"]][0], "label": categories[row["value"]][1],
             "registered": row["registered"], "resolved": row["resolved"],
             "drilldown": scope.drill_params({"category": categories[row["value"]][0]})}
            for row in rows if row["value"] in categories]


def by_channel(scope: Scope) -> list[dict]:
    labels = dict(Channel.choices)
    rows = (_rows(scope, Dimension.CHANNEL).values("value").order_by()
            .annotate(registered=Sum("registered"), resolved=Sum("resolved")).order_by("-registered"))
    return [{"key": row["value"], "label": str(labels.get(row["value"], row["value"])),
             "registered": row["registered"], "resolved": row["resolved"],
             "drilldown": scope.drill_params({"channel": row["value"]})}
            for row in rows]


def by_place(scope: Scope) -> list[dict]:
    """The places one level below the scope side by side (towns of a county, villages of
    a town), with their resolution and on-time rates; a village is shown alone."""
    depth = min(scope.region.depth + 1, 3)
    width = depth * Region.steplen
    rows = (_rows(scope, Dimension.ALL).annotate(child=Left("place__path", width))
            .filter(place__depth__gte=depth).values("child").order_by()
            .annotate(registered=Sum("registered"), resolved=Sum("resolved"),
                      on_time=Sum("resolved_on_time"), overdue=Sum("overdue")))
    places = {r.path: r for r in Region.objects.filter(path__in=[row["child"] for row in rows])}
    result = []
    for row in rows:
        place = places.get(row["child"])
        if place is None:
            continue
        result.append({
            "key": place.code, "label": place.name, "registered": row["registered"], "resolved": row["resolved"],
            "resolution_rate": round(row["resolved"] / row["registered"], 4) if row["registered"] else None,
            "on_time_rate": round(row["on_time"] / row["resolved"], 4) if row["resolved"] else None,
            "overdue": row["overdue"],
            "drilldown": {**scope.drill_params(), "region": place.code},
        })
    return sorted(result, key=lambda item: -item["registered"])


def funnel(scope: Scope, figures=None) -> list[dict]:
    """Resolved disputes settled within the village, within the town, within the county."""
    figures = figures or summary(scope)["figures"]
    by_key = {figure["key"]: figure for figure in figures}
    village, town, county = (by_key[k]["numerator"] for k in ("in_village", "in_town", "in_county"))
    total = by_key["in_village"]["denominator"] or 0
    steps = [("village", village, ["village"]), ("town", village + town, ["village", "town"]),
             ("county", village + town + county, ["village", "town", "county"])]
    return [{"key": key, "count": count, "share": round(count / total, 4) if total else None,
             "drilldown": scope.drill_params({"kind": "dispute", "resolved_tier": tiers})}
            for key, count, tiers in steps]


def day_range(first: date | None, last: date | None) -> Q:
    """Matters registered from local day ``first`` through ``last`` (either may be open)."""
    condition = Q()
    if first is not None:
        condition &= Q(created_at__gte=timezone.make_aware(datetime.combine(first, time())))
    if last is not None:
        condition &= Q(created_at__lt=timezone.make_aware(datetime.combine(last + timedelta(days=1), time())))
    return condition


def open_by_age(scope: Scope) -> list[dict]:
    """Open matters in the place now, by how many days ago they were registered (live:
    one aggregate over the open matters; the same day ranges as the drill-down's)."""
    today = timezone.localdate()
    ranges = [(None if high is None else today - timedelta(days=high), today - timedelta(days=low))
              for low, high in AGE_BUCKETS]
    counts = Case.objects.filter(status__in=OPEN_STATUSES, region__path__startswith=scope.region.path).aggregate(
        **{f"b{index}": Count("pk", filter=day_range(first, last)) for index, (first, last) in enumerate(ranges)})
    result = []
    for index, ((low, high), (first, last)) in enumerate(zip(AGE_BUCKETS, ranges)):
        params = {"region": scope.region.code, "open": "true", "registered_to": last.isoformat(), "count": "exact"}
        if first is not None:
            params["registered_from"] = first.isoformat()
        result.append({"key": f"{low}-{high or ''}", "low": low, "high": high, "count": counts[f"b{index}"],
                       "drilldown": params})
    return result


def chart(name: str, scope: Scope, as_of=None) -> list[dict]:
    """A core chart's series, counted once per refresh of the summary: the cache key carries
    the summary's time (``as_of``, read when not given), so its next refresh (every two
    minutes while matters change) is a new key and nothing stale is read (the open
    matters' ages are as of that time too)."""
    as_of = as_of or refreshed_at()
    if as_of is None:
        return SERIES[name](scope)
    return live(f"chart:{name}:{as_of.timestamp()}", scope, lambda: SERIES[name](scope))[0]


def core_charts(scope: Scope, figures) -> dict:
    """Every core chart of the page, the funnel from the figures already counted."""
    as_of = refreshed_at()
    return {name: chart(name, scope, as_of) for name in SERIES if name != "funnel"} | {
        "funnel": funnel(scope, figures)}


def series_for(name):
    """A chart's series function: the core's, or an app's (``register_series``; kept in
    the cache as ``live`` says)."""
    if name == "funnel":
        return funnel
    if name in SERIES:
        return lambda scope: chart(name, scope)
    series = app_series().get(name)
    if series is None:
        return None
    return lambda scope: _app_series(series, scope)[0]


SERIES = {"trend": trend, "categories": by_category, "channels": by_channel, "places": by_place,
          "funnel": funnel, "open-age": open_by_age}
