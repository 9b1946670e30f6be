import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from celery.result import _set_task_join_will_block

from governance.models import Region, SignalRule, TierRule, User
from intake.models import ApiKey, Window
from mediation.models import MediatorProfile

DEMO_PASSWORD = "demo12345"
COUNTY_CODE = "339901000000"


def ensure_demo_county():
    """The demo county without matters; cheap when it is already there."""
    seeded = (
        Region.objects.filter(code=COUNTY_CODE).exists()
        and User.objects.filter(username="handler").exists()  # the last demo account
        and TierRule.objects.exists()
        and SignalRule.objects.exists()
        and Window.objects.exists()
        and ApiKey.objects.exists()
        and MediatorProfile.objects.filter(user__username="mediator_court").exists()  # mediation's seed
        and User.objects.filter(username="petition_officer").exists()
        and User.objects.filter(username="village_clerk").exists()  # grid's seed
        and User.objects.filter(username="petition_clerk").exists()  # petitions' seed
    )
    if not seeded:
        call_command("seed_demo", cases=0, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The role groups come from the migrations only, as on a real install: nothing
    # here seeds them. A reused test database (--reuse-db) gets today's role table
    # too, because pytest-django runs `migrate` on it all the same, and every
    # migrate ends with GovernanceConfig's post_migrate sync (so do the flushes
    # after transactional tests). tests/governance/test_roles.py checks the result.
    with django_db_blocker.unblock():
        ensure_demo_county()
    yield
    # Matter numbers come through a connection of their own (governance.cases.numbers):
    # closed before the test databases may be dropped.
    from governance.cases.numbers import _forget_numbering_connection

    _forget_numbering_connection()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live an hour in the real Redis: start each test without them."""
    cache.delete_pattern(f"{settings.RATELIMIT_CACHE_PREFIX}*")
    yield


@pytest.fixture(autouse=True)
def celery_join_flag():
    """Celery keeps "inside a task" in a process-wide flag that eager tasks set and
    reset; eager tasks run from two threads at once (the concurrency tests) can
    leave it set, and every later ``.get()`` would refuse. Reset it after each test."""
    yield
    _set_task_join_will_block(False)


@pytest.fixture
def demo(db):
    """The demo county of `seed_demo`: regions, organisations, categories, accounts."""
    ensure_demo_county()


@pytest.fixture
def demo_transactional(transactional_db):
    # Transactional tests flush the tables afterwards; seed again when needed.
    ensure_demo_county()


@pytest.fixture
def staff(demo):
    """staff("town_clerk") -> the demo account."""
    return lambda username: User.objects.get(username=username)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client, staff):
    def login(username):
        api_client.force_authenticate(user=staff(username))
        return api_client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def fresh_schedule_years():
    """The years with an official holiday schedule are cached a minute per process;
    a test's rolled-back schedule must not mark the next test's deadlines."""
    from governance.timers.calendar import forget_scheduled_years

    forget_scheduled_years()
    yield
    forget_scheduled_years()
