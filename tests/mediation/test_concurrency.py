"""Two bookings of one slot at the same moment, from two threads, each with its own
database connection and transaction, on the real PostgreSQL: one gets the slot,
the other a clear refusal naming the session that won; nothing half-saved.

Both threads are held at a barrier right before the service queues for the slot
(its advisory locks), so they reach it at the same instant: the second waits for
the first to commit, then looks and is refused, naming the winner. (Without that
queue, two inserts racing into an exclusion constraint can deadlock each other,
and one clerk got "deadlock detected" instead of a clear refusal.) The barrier
wraps the service's own function (a synchronisation point: it calls the real one).

The exclusion constraints stay the last word: a booking whose look missed a
committed session is refused by the database, and the clerk still gets the clash.
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
    """Run ``bookings`` (callables) in threads, all reaching the slot's queue at once."""
    barrier = threading.Barrier(2, timeout=20)
    original = session_services._queue_for_slot

    def wait_then_queue(room, staff):
        barrier.wait()
        return original(room, staff)

    monkeypatch.setattr(session_services, "_queue_for_slot", wait_then_queue)

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


@pytest.mark.parametrize("attempt", range(5))
def test_two_bookings_of_one_room_at_one_instant_never_deadlock(race, staff, village_room, attempt):
    first, second = _two_mediations(staff)
    vm, start = staff("village_mediator"), NOW + timedelta(hours=3 + attempt)
    results, errors = race(_book(first, vm, start, village_room, [staff("clerk"), vm]),
                           _book(second, vm, start, village_room, [vm, staff("town_clerk")]))
    assert len(results) == 1 and [type(error) for error in errors] == [services.SessionClash], errors


def test_the_database_refuses_what_the_look_missed(demo_transactional, staff, village_room, monkeypatch):
    first, second = _two_mediations(staff)
    vm, start = staff("village_mediator"), NOW + timedelta(hours=1)
    with time_machine.travel(NOW, tick=True):
        winner = _book(first, vm, start, village_room, [vm])()
        looks, original = [], session_services._clash

        def a_look_that_misses_once(**kwargs):  # as a booking from another door might
            looks.append(kwargs)
            return None if len(looks) == 1 else original(**kwargs)

        monkeypatch.setattr(session_services, "_clash", a_look_that_misses_once)
        with pytest.raises(services.SessionClash) as refused:
            _book(second, vm, start + timedelta(minutes=30), village_room, [staff("clerk")])()
    assert isinstance(refused.value.__context__, IntegrityError)  # the exclusion constraint refused it
    assert refused.value.session.pk == winner.pk and refused.value.room == village_room
    assert Session.objects.filter(room=village_room).count() == 1
    assert SessionSeat.objects.filter(user=staff("clerk")).count() == 0
