"""The sweep: reminders, village -> town -> county, overdue, exactly once."""
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from governance.timers.sweep import sweep_clocks
from governance.models import Case, CaseEvent, Organisation
from governance.cases import services as services
from tests.factories import CaseFactory, region

SHANGHAI = ZoneInfo("Asia/Shanghai")
VILLAGE = "339901001001"


def at(y, m, d, hour=9, minute=0):
    return datetime(y, m, d, hour, minute, tzinfo=SHANGHAI)


def village_dispute(start):
    with time_machine.travel(start, tick=False):
        return CaseFactory(region=region(VILLAGE))


def types(case):
    return list(case.events.values_list("type", flat=True))


def test_village_dispute_goes_up_on_time_then_overdue_at_the_county(demo):
    # Registered Monday 2 March 2026 09:00: village limit 5 working days -> Monday 9 March 09:00.
    case = village_dispute(at(2026, 3, 2))
    assert case.deadline == at(2026, 3, 9)
    town_center = Organisation.objects.get(region__code="339901001000", kind="center")
    county_center = Organisation.objects.get(region__code="339901000000", kind="center")

    with time_machine.travel(at(2026, 3, 9, 8, 59), tick=False):
        result = sweep_clocks()
    assert (result.reminded, result.escalated) == (1, 0)  # the reminder came first, at 80%
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        assert sweep_clocks().escalated == 1
        assert sweep_clocks().escalated == 0  # exactly once
    case.refresh_from_db()
    assert (case.tier, case.holder) == ("town", town_center)
    assert case.deadline == at(2026, 3, 23)  # town: 10 working days counted from the move

    with time_machine.travel(at(2026, 3, 20, 14, 0), tick=False):  # 80 %: Friday 20 March 13:48
        assert (sweep_clocks().reminded, sweep_clocks().reminded) == (1, 0)
    with time_machine.travel(at(2026, 3, 23, 9, 0), tick=False):
        result = sweep_clocks()
    assert (result.reminded, result.escalated) == (0, 1)
    case.refresh_from_db()
    assert (case.tier, case.holder) == ("county", county_center)

    # At the county nobody reminded in time: the reminder due with the deadline is not
    # sent beside the overdue mark (a reminder about a limit already run out helps nobody).
    with time_machine.travel(case.deadline, tick=False):
        result = sweep_clocks()
        assert (result.reminded, result.overdue) == (0, 1)
        assert sweep_clocks().overdue == 0
    case.refresh_from_db()
    assert case.overdue_at is not None and case.is_open
    assert types(case) == ["created", "reminded", "escalated", "reminded", "escalated", "overdue"]
    assert list(case.clocks.order_by("id").values_list("outcome", flat=True)) == ["missed"] * 3
    escalation = case.events.filter(type="escalated").first()
    assert (escalation.from_tier, escalation.to_tier, escalation.to_holder) == ("village", "town", town_center)


def test_a_resolved_matter_never_escalates(staff):
    case = village_dispute(at(2026, 3, 2))
    services.case_resolve(case_id=case.pk, actor=staff("village_mediator"), note="当场化解")
    result = sweep_clocks(now=at(2026, 6, 1))
    assert (result.reminded, result.escalated, result.overdue) == (0, 0, 0)
    case.refresh_from_db()
    assert case.tier == "village"


def test_the_command_runs_one_sweep_at_a_simulated_time(demo, capsys):
    case = village_dispute(at(2026, 3, 2))
    call_command("sweep_deadlines", "--now", "2026-03-09T09:00")
    assert "reminders: 0, escalations: 1, overdue: 0" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.tier == "town"


def test_bad_now_is_a_clear_error(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not an ISO"):
        call_command("sweep_deadlines", "--now", "tomorrow")


def test_a_matter_without_a_center_above_is_skipped_and_reported(demo):
    good = village_dispute(at(2026, 3, 2))
    bad = village_dispute(at(2026, 3, 2))
    Organisation.objects.filter(region__code="339901001000", kind="center").update(is_active=False)
    Case.objects.filter(pk=good.pk).update(region=region("339901000000"), tier="town")  # county-level: goes to county
    result = sweep_clocks(now=at(2026, 3, 9, 9, 0))
    assert result.escalated == 1 and [bad.clock("tier").pk] == [clock_id for clock_id, _ in result.failed]
    bad.refresh_from_db()
    assert bad.tier == "village" and "escalated" not in types(bad)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_matter_exactly_once(demo_transactional):
    cases = [village_dispute(at(2026, 3, 2)) for _ in range(60)]
    results, errors = [], []
    barrier = threading.Barrier(2)

    def sweep():
        try:
            barrier.wait()
            results.append(sweep_clocks(now=at(2026, 3, 9, 9, 0), batch_size=7))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    # 09:00 is past both the reminder (08:30) and the deadline: escalations only, each once.
    assert sum(r.escalated for r in results) == 60 and sum(r.reminded for r in results) == 0
    ids = [c.pk for c in cases]
    assert CaseEvent.objects.filter(case_id__in=ids, type="escalated").count() == 60
    assert CaseEvent.objects.filter(case_id__in=ids, type="reminded").count() == 0
    assert set(Case.objects.filter(pk__in=ids).values_list("tier", flat=True)) == {"town"}
