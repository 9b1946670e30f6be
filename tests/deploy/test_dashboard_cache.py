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
