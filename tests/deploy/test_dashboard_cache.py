"""The dashboards' live app measures (mediation's rates) are computed once per
DASHBOARD_CACHE_SECONDS per place and period: found by `make loadtest`, where each
summary cost ~0.7 s of PostgreSQL (the same counts computed three times, every request)."""
import pytest
from django.core.cache import cache
from django.test import override_settings

from governance.dashboards import measures, selectors
from governance.dashboards.measures import AppMeasure


@pytest.fixture
def counted_measure():
    calls = []

    def compute(region, date_from, date_to):
        calls.append((region.code, date_from, date_to))
        return len(calls), 10, {"region": region.code}

    measure = AppMeasure("test_counted", "counted", "a measure that counts its computations", compute)
    measures._app_measures.append(measure)
    cache.delete_pattern("dashboard:measure:test_counted:*")
    yield calls
    measures._app_measures.remove(measure)
    cache.delete_pattern("dashboard:measure:test_counted:*")


def figure(scope):
    return next(f for f in selectors.summary(scope)["figures"] if f["key"] == "test_counted")


def test_an_app_measure_is_computed_once_per_place_and_period(counted_measure, staff):
    leader = staff("leader")
    with override_settings(DASHBOARD_CACHE_SECONDS=60):
        county = selectors.scope_for(user=leader)
        assert figure(county)["numerator"] == 1
        assert figure(county)["numerator"] == 1  # the cached figure, not computed again
        assert len(counted_measure) == 1
        town = selectors.scope_for(user=leader, region_code="339901001000")
        assert figure(town)["numerator"] == 2  # another place: its own computation
        earlier = selectors.scope_for(user=leader, date_from=county.date_from.replace(month=1, day=2))
        assert figure(earlier)["numerator"] == 3  # another period too
        assert len(counted_measure) == 3


def test_without_the_cache_every_summary_computes(counted_measure, staff):
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        scope = selectors.scope_for(user=staff("leader"))
        figure(scope), figure(scope)
    assert len(counted_measure) == 2


def test_beat_counts_the_usual_views_ahead_so_leaders_never_wait(counted_measure, staff, client):
    from governance.tasks import warm_dashboards_task

    leader = staff("leader")
    with override_settings(DASHBOARD_CACHE_SECONDS=900):
        cache.delete_pattern("dashboard:*")
        warmed = warm_dashboards_task.delay().get()  # eager, as beat's worker runs it
        scopes = list(selectors.usual_scopes())
        assert warmed == len(scopes) and len(counted_measure) == len(scopes)  # county and towns, two periods
        assert {scope.region.level for scope in scopes} == {"county", "town"}
        county = selectors.scope_for(user=leader)  # the page's default: this year to date
        assert figure(county)["numerator"] in range(1, len(scopes) + 1)
        client.force_login(leader)
        page = client.get("/dashboard/")
        assert len(counted_measure) == len(scopes)  # the page counted nothing itself
        assert "调解、网格、信访数据截至" in page.content.decode()
        # The apps' series are kept too: the page and the API read them from the cache.
        charts, counted_at = selectors.app_charts(county)
        assert set(charts) >= {"grid-types", "grid-steps", "petition-steps"} and counted_at is not None
        cache.set(f"dashboard:series:grid-types:{county.region.pk}:{county.date_from}:{county.date_to}",
                  ([{"key": "x", "label": "kept", "count": 7, "drilldown": {}}], counted_at), 60)
        body = client.get("/api/v1/dashboard/series/grid-types/").json()
        assert body["series"][0]["count"] == 7  # what the cache holds, not counted again


def test_a_core_chart_is_counted_once_per_refresh_of_the_summary(demo, staff):
    from governance.dashboards.rollup import refresh
    from tests.factories import CaseFactory

    scope = selectors.scope_for(user=staff("leader"))
    with override_settings(DASHBOARD_CACHE_SECONDS=900):
        CaseFactory()
        refresh(full=True)
        before = sum(item["registered"] for item in selectors.chart("channels", scope))
        assert before >= 1
        CaseFactory()
        assert sum(item["registered"] for item in selectors.chart("channels", scope)) == before  # same summary
        refresh()  # the summary moves on: a new key, counted again
        assert sum(item["registered"] for item in selectors.chart("channels", scope)) == before + 1


def test_the_warmer_counts_shared_counts_again_once_not_stamping_old_ones_as_new(staff):
    """Mediation's three rates read one set of counts, itself kept in the cache: the warmer
    counts it again (once for all three), so no rate it writes rests on counts from before."""
    shared = []

    def counts(scope):
        return selectors.live("test-shared", scope, lambda: shared.append(1) or len(shared))[0]

    rates = [AppMeasure(f"test_rate_{n}", "rate", "reads the shared counts",
                        lambda region, date_from, date_to: (counts(selectors.Scope(region, date_from, date_to)), 1, {}))
             for n in range(3)]
    measures._app_measures.extend(rates)

    def numerators(scope):
        return {f["numerator"] for f in selectors.summary(scope)["figures"] if f["key"].startswith("test_rate")}

    try:
        with override_settings(DASHBOARD_CACHE_SECONDS=900):
            cache.delete_pattern("dashboard:*")
            scope = selectors.scope_for(user=staff("leader"))
            assert numerators(scope) == {1}
            selectors.warm(scope)
            assert len(shared) == 2  # counted again once by the warmer, for the three rates
            assert numerators(scope) == {2}
            assert len(shared) == 2  # and read from the cache after
    finally:
        for rate in rates:
            measures._app_measures.remove(rate)
        cache.delete_pattern("dashboard:*")
