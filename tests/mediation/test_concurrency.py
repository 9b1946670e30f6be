"""Two bookings of one slot at the same moment, from two threads, each with its own
database connection and transaction, on the real PostgreSQL: one gets the slot,
the other a clear refusal naming the session that won; nothing half-saved.

To be sure the database's exclusion constraint decides (and not the service's
look before inserting), both threads are held at a barrier right after that look,
so both see a free slot and both insert: the second insert waits for the first
transaction, then the constraint refuses it. The barrier wraps the service's own
look-up function (a synchronisation point, not a stand-in: it calls the real one).
"""
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection

from mediation import services
from mediation.models import Session, SessionSeat
from mediation.services import sessions as session_services
from tests.mediation.conftest import NOW, accepted, village_dispute

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def race(demo_transactional, monkeypatch):
    """Run ``bookings`` (callables) in threads, all past the service's look at once."""
    barrier = threading.Barrier(2, timeout=20)
    local = threading.local()
    original = session_services._clash

    def looked_then_wait(**kwargs):
        found = original(**kwargs)
        if not getattr(local, "waited", False):  # only the first look, before inserting
            local.waited = True
            barrier.wait()
        return found

    monkeypatch.setattr(session_services, "_clash", looked_then_wait)

    def run(*bookings):
        results, errors = [], []

        def book(call):
            try:
                results.append(call())
            except Exception as error:  # collected and checked by the test
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=book, args=(call,)) for call in bookings]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results, errors

    with time_machine.travel(NOW, tick=True):
        yield run


def _two_mediations(staff):
    vm = staff("village_mediator")
    return accepted(village_dispute(), vm), accepted(village_dispute(), vm)


def _book(mediation, actor, start, room=None, participants=None):
    return lambda: services.session_book(mediation_id=mediation.pk, actor=actor, starts_at=start,
                                         ends_at=start + timedelta(hours=1), room=room, participants=participants)


def test_two_clerks_book_one_room_at_the_same_moment(race, staff, village_room, county_room):
    first, second = _two_mediations(staff)
    vm, start = staff("village_mediator"), NOW + timedelta(hours=1)
    results, errors = race(_book(first, vm, start, village_room, [staff("clerk")]),
                           _book(second, vm, start + timedelta(minutes=30), village_room, [staff("town_clerk")]))
    assert len(results) == 1 and len(errors) == 1, errors
    winner, refusal = results[0], errors[0]
    assert isinstance(refusal, services.SessionClash), repr(refusal)
    assert isinstance(refusal.__context__, IntegrityError)  # the database refused it, not the look before
    assert refusal.session.pk == winner.pk and refusal.room == village_room
    assert f"调解会{winner.pk}号" in str(refusal) and "青山村" in str(refusal)
    assert Session.objects.filter(room=village_room).count() == 1
    assert SessionSeat.objects.count() == 1  # the loser's seats went with its rolled-back insert


def test_one_mediator_booked_in_two_rooms_at_the_same_moment(race, staff, village_room, county_room):
    first, second = _two_mediations(staff)
    vm, start = staff("village_mediator"), NOW + timedelta(hours=2)
    results, errors = race(_book(first, vm, start, village_room, [vm]),
                           _book(second, vm, start + timedelta(minutes=15), county_room, [vm]))
    assert len(results) == 1 and len(errors) == 1, errors
    refusal = errors[0]
    assert isinstance(refusal, services.SessionClash), repr(refusal)
    assert isinstance(refusal.__context__, IntegrityError)
    assert refusal.person.username == "village_mediator" and refusal.session.pk == results[0].pk
    assert "周桂英" in str(refusal)
    assert SessionSeat.objects.filter(user=vm, is_active=True).count() == 1


def test_back_to_back_bookings_at_the_same_moment_both_succeed(race, staff, village_room):
    first, second = _two_mediations(staff)
    vm, start = staff("village_mediator"), NOW + timedelta(hours=1)
    results, errors = race(_book(first, vm, start, village_room, [vm]),
                           _book(second, vm, start + timedelta(hours=1), village_room, [vm]))
    assert errors == [] and len(results) == 2
    assert sorted((s.starts_at, s.ends_at) for s in results) == [
        (start, start + timedelta(hours=1)), (start + timedelta(hours=1), start + timedelta(hours=2))]
