import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from governance.choices import CaseStatus, EventType
from governance.models import Case, CaseEvent
from governance.cases import services as services
from governance.cases.numbers import allocate_case_numbers
from tests.factories import CaseFactory

VILLAGE = "339901001001"


def test_register_writes_case_parties_and_created_event(staff):
    clerk = staff("village_mediator")
    case = CaseFactory(actor=clerk)
    assert case.status == CaseStatus.REGISTERED
    assert case.tier == "village"
    assert case.holder.region.code == VILLAGE
    assert case.parties.count() == 2
    (event,) = case.events.all()
    assert (event.type, event.actor, event.to_holder) == (EventType.CREATED, clerk, case.holder)
    text = case.text
    assert text.narrative == case.narrative
    assert text.search_text.split("\n") == [case.number, case.narrative, *(
        value for party in case.parties.order_by("id") for value in (party.name, party.phone) if value)]


def test_case_numbers_are_sequential_per_year(demo):
    first = CaseFactory().number
    second = CaseFactory().number
    year, n = first.split("-")
    assert second == f"{year}-{int(n) + 1:06d}"
    assert len(n) == 6


@pytest.mark.django_db(transaction=True)
def test_number_allocation_has_no_races():
    numbers, errors = [], []

    def allocate():
        try:
            for _ in range(20):
                numbers.extend(allocate_case_numbers(2031))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(numbers) == 80 and len(set(numbers)) == 80
    assert sorted(numbers)[-1] == "2031-000080"


def test_full_lifecycle_writes_one_event_per_change(staff):
    mediator = staff("village_mediator")
    case = CaseFactory()
    services.case_accept(case_id=case.pk, actor=mediator)
    services.case_resolve(case_id=case.pk, actor=mediator, note="双方达成和解")
    services.case_close(case_id=case.pk, actor=mediator)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.resolved_at and case.closed_at
    changes = list(case.events.filter(type=EventType.STATUS_CHANGED).values_list("from_status", "to_status", "note"))
    assert changes == [
        ("registered", "in_progress", ""),
        ("in_progress", "resolved", "双方达成和解"),
        ("resolved", "closed", ""),
    ]


@pytest.mark.parametrize(
    "action, note",
    [("close", ""), ("reopen", "理由"), ("mark_unresolved", "理由"), ("fly", "x")],
)
def test_invalid_transition_is_refused_and_changes_nothing(staff, action, note):
    mediator = staff("village_mediator")
    case = CaseFactory()
    before = case.events.count()
    with pytest.raises(services.InvalidTransition) as refused:
        services.case_change_status(case_id=case.pk, actor=mediator, action=action, note=note)
    assert str(refused.value)  # a message the user can read
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert case.events.count() == before


def test_refusal_message_names_the_status_in_chinese(staff):
    from django.utils import translation

    case = CaseFactory()
    with translation.override("zh-hans"), pytest.raises(services.InvalidTransition) as refused:
        services.case_close(case_id=case.pk, actor=staff("village_mediator"))
    assert "待分流" in str(refused.value)


def test_note_is_required_where_the_action_needs_one(staff):
    case = CaseFactory()
    with pytest.raises(services.InvalidTransition):
        services.case_resolve(case_id=case.pk, actor=staff("village_mediator"), note="   ")
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_status_cannot_be_assigned_directly(demo):
    case = CaseFactory()
    with pytest.raises(AttributeError):
        case.status = CaseStatus.CLOSED


def test_only_the_holder_changes_a_case(staff):
    case = CaseFactory()  # held by the first village's center
    with pytest.raises(services.CaseChangeForbidden):
        services.case_accept(case_id=case.pk, actor=staff("town_clerk"))  # sees it (its town) but does not hold it
    with pytest.raises(services.CaseNotFound):
        services.case_accept(case_id=case.pk, actor=staff("other_town_clerk"))
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert case.events.count() == 1


def test_timeline_is_append_only_in_the_database(demo):
    case = CaseFactory()
    event = case.events.get()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_grant_opens_one_case_to_one_person(staff):
    leader = staff("leader")
    outsider = staff("other_town_clerk")
    granted, other = CaseFactory(), CaseFactory()
    services.case_grant(case_id=granted.pk, to_user=outsider, actor=leader, note="协办")
    visible = Case.objects.restrict(outsider)
    assert visible.filter(pk__in=[granted.pk, other.pk]).count() == 1
    assert visible.filter(pk=granted.pk).exists()
    assert not Case.objects.restrict(outsider, "change").filter(pk=granted.pk).exists()
    assert granted.events.filter(type=EventType.GRANTED).count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(CASE_NUMBERS_GAPLESS=False)
def test_numbers_taken_outside_the_registration_do_not_wait_for_its_commit():
    """CASE_NUMBERS_GAPLESS off: a registration still open (its number taken, not committed)
    does not hold the year's row, so another takes the next number at once; and a number
    taken by a registration that then fails stays used (a gap), as documented."""
    from django.db import transaction

    from governance.cases.numbers import _forget_numbering_connection

    taken = []

    def other():
        try:
            taken.extend(allocate_case_numbers(2032))
        finally:
            _forget_numbering_connection()
            connection.close()

    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            (first,) = allocate_case_numbers(2032)  # a registration in progress ...
            thread = threading.Thread(target=other)
            thread.start()
            thread.join(timeout=10)
            assert not thread.is_alive(), "the other registration waited for this one's commit"
            raise RuntimeError("... that then fails")
        assert taken == ["2032-000002"] and first == "2032-000001"
        assert allocate_case_numbers(2032) == ["2032-000003"]  # 000001 stays unused
    finally:
        _forget_numbering_connection()


@pytest.mark.django_db(transaction=True)
def test_gapless_numbers_wait_for_the_registration_that_holds_the_year():
    """The default: the year's row stays locked until the registration commits or rolls back."""
    from django.db import transaction

    taken = []

    def other():
        try:
            taken.extend(allocate_case_numbers(2033))
        finally:
            connection.close()

    with pytest.raises(RuntimeError), transaction.atomic():
        assert allocate_case_numbers(2033) == ["2033-000001"]
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=2)
        assert thread.is_alive(), "the other registration did not wait"
        raise RuntimeError("rolled back: the number is given again")
    thread.join(timeout=10)
    assert taken == ["2033-000001"]
