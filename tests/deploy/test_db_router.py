"""The read replica's router: which reads may go to the replica, and that a write is never
read back from a lagging one.

The lagging replica here is real: a second connection to the test database that holds a
REPEATABLE READ snapshot taken before the writes, so it answers exactly as a streaming
replica a few seconds behind would (it knows the old rows, not the new ones)."""
import pytest
from django.db import connections, transaction
from django.http import JsonResponse
from django.test import RequestFactory, override_settings
from django.urls import ResolverMatch
from rest_framework.test import APIClient

from governance import db_router
from governance.db_router import PIN_COOKIE, ReplicaRouter, ReplicaRoutingMiddleware, RoutingState
from django.contrib.sessions.models import Session

from governance.models import Case, Notification, User
from tests.factories import CaseFactory

ROUTER = ["governance.db_router.ReplicaRouter"]


# -- the rules -------------------------------------------------------------------------


@pytest.fixture
def state():
    current = RoutingState()
    token = db_router._state.set(current)
    yield current
    db_router._state.reset(token)


def test_outside_a_request_everything_is_read_from_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(Case) == "default"
    assert router.db_for_write(Case) == "default"


def test_a_request_not_marked_for_the_replica_reads_the_primary(state):
    assert ReplicaRouter().db_for_read(Case) == "default"


def test_a_marked_request_reads_the_replica_until_it_writes(state):
    router = ReplicaRouter()
    state.replica_reads = True
    assert router.db_for_read(Case) == "replica"
    assert router.db_for_read(Notification) == "replica"
    assert router.db_for_write(Notification) == "default"
    assert state.wrote
    assert router.db_for_read(Case) == "default"  # never read back from the replica


@pytest.mark.parametrize("model", [User, Session])
def test_users_and_sessions_always_come_from_the_primary(state, model):
    state.replica_reads = True
    assert ReplicaRouter().db_for_read(model) == "default"


def test_reads_inside_a_transaction_on_the_primary_stay_there(state, db):
    state.replica_reads = True
    # pytest-django's db fixture runs the test in a transaction: the primary is in an atomic block
    assert connections["default"].in_atomic_block
    assert ReplicaRouter().db_for_read(Case) == "default"


def test_writes_of_objects_read_from_the_replica_go_to_the_primary(state):
    case = Case()
    case._state.db = "replica"
    assert ReplicaRouter().db_for_write(Case, instance=case) == "default"


def test_only_the_primary_is_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "governance") is True
    assert router.allow_migrate("replica", "governance") is False


def test_the_replica_is_off_by_default(settings):
    assert "replica" not in settings.DATABASES
    assert not getattr(settings, "DATABASE_ROUTERS", [])


def test_the_listed_views_exist():
    """Every name in REPLICA_READ_VIEWS is a real view (a typo would silently read the primary)."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    for name in settings.REPLICA_READ_VIEWS:
        try:
            reverse(name)
        except NoReverseMatch as error:  # fine when it only wants its arguments
            assert "is not a valid view function or pattern name" not in str(error), name


def test_middleware_marks_only_safe_requests_to_listed_views(rf=RequestFactory()):
    def decide(method, view_name, cookies=None):
        request = getattr(rf, method.lower())("/")
        request.COOKIES.update(cookies or {})
        request.resolver_match = ResolverMatch(lambda r: None, (), {}, url_name=view_name)
        current = RoutingState()
        token = db_router._state.set(current)
        try:
            ReplicaRoutingMiddleware(lambda r: None).process_view(request, None, (), {})
        finally:
            db_router._state.reset(token)
        return current.replica_reads

    assert decide("GET", "case-list") is True
    assert decide("GET", "dashboard") is True
    assert decide("GET", "case-detail") is False
    assert decide("POST", "case-list") is False
    assert decide("GET", "case-list", {PIN_COOKIE: "1"}) is False  # this browser wrote a moment ago


# -- a real lagging replica ------------------------------------------------------------------


@pytest.fixture
def lagging_replica(demo_transactional):
    """A `replica` database that stops seeing the primary's commits from the moment it is
    asked to ``freeze()`` (a REPEATABLE READ snapshot on its own connection)."""
    # Registered as a connection, not in settings.DATABASES: Django's test case then allows it.
    replica = connections["default"].copy(alias="replica")
    connections["replica"] = replica
    atomic = transaction.atomic(using="replica")

    def freeze():
        atomic.__enter__()
        with replica.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT count(*) FROM governance_case")  # the snapshot is taken here

    with override_settings(DATABASE_ROUTERS=ROUTER):
        try:
            yield freeze
        finally:
            if replica.in_atomic_block:
                atomic.__exit__(None, None, None)
            replica.close()
            del connections["replica"]


def numbers(response):
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["results"]}


def test_lists_read_the_replica_and_a_writer_reads_its_own_writes(lagging_replica, staff):
    old = CaseFactory()
    lagging_replica()
    clerk = APIClient()
    clerk.force_authenticate(staff("clerk"))
    created = clerk.post("/api/v1/cases/", {
        "kind": "dispute", "channel": "hotline", "category": "neighbourhood", "region": "339901001001",
        "narrative": "复制延迟测试：刚登记的事项", "parties": [{"name": "张三", "phone": "13800000009"}],
    }, format="json")
    assert created.status_code == 201, created.content
    new_number = created.json()["number"]
    assert created.cookies[PIN_COOKIE]["max-age"] == 10

    leader = APIClient()
    leader.force_authenticate(staff("leader"))
    # The leader's list comes from the replica: it knows the old matter, not yet the new one ...
    assert old.number in numbers(leader.get("/api/v1/cases/"))
    assert new_number not in numbers(leader.get("/api/v1/cases/"))
    # ... a matter's own page is never read from the replica ...
    assert leader.get(f"/api/v1/cases/{created.json()['id']}/").status_code == 200
    # ... and the clerk who just wrote reads the primary for the next seconds (the pin cookie).
    assert new_number in numbers(clerk.get("/api/v1/cases/"))


def test_within_one_request_a_write_is_never_read_back_from_the_replica(lagging_replica, staff):
    lagging_replica()
    case = CaseFactory()  # committed on the primary after the replica's snapshot
    seen = {}

    def view(request):
        seen["before the write"] = Case.objects.filter(pk=case.pk).exists()  # the replica: not there yet
        with transaction.atomic():
            seen["in a transaction"] = Case.objects.filter(pk=case.pk).exists()  # the primary
        Notification.objects.create(organisation=case.holder, case=case, kind="reminded")
        seen["after the write"] = Case.objects.filter(pk=case.pk).exists()  # the primary again
        seen["notification"] = Notification.objects.filter(case=case).count()
        return JsonResponse({})

    request = RequestFactory().get("/cases/")
    request.COOKIES = {}
    request.resolver_match = ResolverMatch(view, (), {}, url_name="case-list")
    middleware = ReplicaRoutingMiddleware(lambda r: middleware.process_view(r, view, (), {}) or view(r))
    response = middleware(request)
    assert seen == {"before the write": False, "in a transaction": True, "after the write": True,
                    "notification": 1}
    assert response.cookies[PIN_COOKIE].value == "1"  # and the next requests of this browser read the primary
