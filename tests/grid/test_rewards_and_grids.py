"""一事一奖 and its monthly ledger; grids and their workers; patrol logs."""
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from governance.models import Region, User
from grid.ledger import ledger_total, reward_ledger
from grid.models import GridAssignment, Patrol, Reward, RewardRate
from grid.selectors import coverage_gaps, current_grids
from grid.services import CaseChangeForbidden, InvalidTransition, grids, patrols, rewards
from tests.grid.conftest import GRID_1, report, to_step

pytestmark = pytest.mark.django_db


def rate(name):
    return RewardRate.objects.get(name=name)


def test_the_reward_ledger_totals(people, client):
    worker, center = people["gridworker"], people["village_clerk"]
    # Last month in Beijing time (the ledger's months are local): from UTC "now", the
    # first hours of a month in Beijing are still the month before.
    with time_machine.travel(timezone.localtime().replace(day=28) - timedelta(days=31)):
        old = to_step(report(worker), people, "registered")
        rewards.reward_give(event_id=old.pk, actor=center, rate=rate("重大隐患"))
    events = [to_step(report(worker), people, "registered") for _ in range(3)]
    rewards.reward_give(event_id=events[0].pk, actor=center, rate=rate("一般线索"))
    rewards.reward_give(event_id=events[1].pk, actor=center, rate=rate("重要隐患"), note="燃气隐患")
    rewards.reward_give(event_id=events[2].pk, actor=center, rate=rate("重要隐患"))
    # An admin raises a rate afterwards: rewards already given keep their amount.
    RewardRate.objects.filter(name="一般线索").update(amount=Decimal("30.00"))
    month = timezone.localdate().replace(day=1)
    lines = reward_ledger(user=center, month=month)
    assert [(line.worker.username, line.count, line.total) for line in lines] == [("gridworker", 3, Decimal("120.00"))]
    assert ledger_total(lines) == Decimal("120.00")
    assert ledger_total(reward_ledger(user=worker, month=month)) == Decimal("120.00")  # their own line
    previous = (month - timedelta(days=1)).replace(day=1)
    assert ledger_total(reward_ledger(user=center, month=previous)) == Decimal("100.00")
    assert reward_ledger(user=people["other_town_clerk"], month=month) == []  # not their places' workers
    client.force_login(center)
    book = load_workbook(io.BytesIO(client.get(f"/grid/rewards/?month={month:%Y-%m}&format=xlsx").content))
    detail, summary = book.worksheets
    rows = [row for row in detail.iter_rows(values_only=True)]
    assert rows[0][0] == "网格员" and rows[-1][0] == "合计" and Decimal(str(rows[-1][5])) == Decimal("120.00")
    assert [r[5] for r in rows[1:4]] == [20, 50, 50] or [Decimal(str(r[5])) for r in rows[1:4]] == [
        Decimal("20"), Decimal("50"), Decimal("50")]
    assert list(summary.iter_rows(values_only=True))[1][2:] == (3, 120)
    api = client.get(f"/api/v1/grid/rewards/?month={month:%Y-%m}").json()
    assert api["total"] == "120.00" and api["count"] == 3 and api["workers"][0]["total"] == "120.00"


def test_one_reward_per_event_given_by_its_center(people):
    event = report(people["gridworker"])
    with pytest.raises(InvalidTransition):  # not registered yet
        rewards.reward_give(event_id=event.pk, actor=people["village_clerk"], rate=rate("一般线索"))
    to_step(event, people, "registered")
    with pytest.raises(CaseChangeForbidden):
        rewards.reward_give(event_id=event.pk, actor=people["gridworker"], rate=rate("一般线索"))
    RewardRate.objects.filter(name="重大隐患").update(is_active=False)
    with pytest.raises(ValidationError):
        rewards.reward_give(event_id=event.pk, actor=people["village_clerk"], rate=rate("重大隐患"))
    rewards.reward_give(event_id=event.pk, actor=people["village_clerk"], rate=rate("一般线索"))
    with pytest.raises(InvalidTransition):
        rewards.reward_give(event_id=event.pk, actor=people["village_clerk"], rate=rate("重要隐患"))
    assert Reward.objects.get(event=event).amount == Decimal("20.00")


def test_reassigning_a_grid_keeps_its_history(people):
    grid = Region.objects.get(code=GRID_1)
    newcomer = User.objects.create_user("gridworker_2", organisation=people["gridworker"].organisation,
                                        role="grid_worker", last_name="新", first_name="人")
    grids.grid_assign(grid=grid, worker=newcomer, actor=people["admin"], note="轮岗")
    history = list(GridAssignment.objects.filter(grid=grid).order_by("started_at"))
    assert [a.worker.username for a in history] == ["gridworker", "gridworker_2"]
    assert history[0].ended_at == history[1].started_at and history[1].ended_at is None
    assert grid not in current_grids(worker=people["gridworker"])
    with pytest.raises(IntegrityError), transaction.atomic():  # the database keeps one worker per grid
        GridAssignment.objects.create(grid=grid, worker=people["gridworker"])
    with pytest.raises(ValidationError):  # a worker of another village
        grids.grid_assign(grid=grid, worker=people["gridworker_shiqiao"], actor=people["admin"])
    with pytest.raises(PermissionDenied):
        grids.grid_assign(grid=grid, worker=people["gridworker"], actor=people["village_clerk"])


def test_coverage_gaps(people, client):
    county = Region.objects.get(code="339901000000")
    gaps = coverage_gaps(root=county)
    assert {g.name for g in gaps["grids_without_worker"]} == {
        "新塘村第一网格", "新塘村第二网格", "新塘村第三网格", "文昌社区第一网格", "文昌社区第二网格", "文昌社区第三网格"}
    assert [w.username for w in gaps["workers_without_grid"]] == ["gridworker_new"]
    assert {m.code[:12] for m in gaps["micro_grids_without_head"]} == {"339901003003"}
    client.force_login(people["admin"])
    page = client.get("/grid/coverage/").content.decode()
    assert "新塘村第一网格" in page and "魏小军" in page
    grid = Region.objects.get(code="33990100200301")
    response = client.post("/grid/coverage/", {"grid": grid.pk, "worker": User.objects.get(
        username="gridworker_new").pk})
    assert response.status_code == 302
    assert GridAssignment.objects.get(grid=grid, ended_at__isnull=True).worker.username == "gridworker_new"
    client.force_login(people["village_clerk"])
    assert client.get("/grid/coverage/").status_code == 403


def test_patrols_start_end_and_count(people, client):
    worker = people["gridworker"]
    grid = Region.objects.get(code=GRID_1)
    patrol = patrols.patrol_start(actor=worker, grid=grid)
    with pytest.raises(ValidationError):
        patrols.patrol_start(actor=worker, grid=grid)  # one under way
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        patrols.patrol_end(actor=worker, route="1组→3组→村口", findings="楼道堆物两处")
    patrol.refresh_from_db()
    assert 44 <= patrol.minutes <= 46 and patrol.findings == "楼道堆物两处"
    with pytest.raises(ValidationError):
        patrols.patrol_start(actor=worker, grid=Region.objects.get(code="33990100100201"))  # not theirs
    with pytest.raises(PermissionDenied):
        patrols.patrol_start(actor=people["village_clerk"], grid=grid)
    client.force_login(people["village_clerk"])
    page = client.get("/grid/patrols/").content.decode()
    assert "吴海波" in page
    from grid.selectors import patrol_summary

    rows = patrol_summary(root=people["village_clerk"].organisation.region, day=timezone.localdate())
    assert [(r["worker__username"], r["patrols"], r["finished"]) for r in rows] == [("gridworker", 1, 1)]
    assert Patrol.objects.filter(worker=worker).count() == 1


def test_household_counts_outside_the_norm_are_flagged(people, settings):
    from grid.models import GridProfile
    from grid.selectors import households_off_norm

    county = Region.objects.get(code="339901000000")
    assert households_off_norm(root=county) == []  # the demo keeps to 300–500 and 50–80
    GridProfile.objects.filter(region__code=GRID_1).update(households=620)
    GridProfile.objects.filter(region__code="3399010010010101").update(households=45)
    assert {p.region.code for p in households_off_norm(root=county)} == {GRID_1, "3399010010010101"}
    settings.GRID_HOUSEHOLDS = (300, 700)  # a county's own norm
    assert {p.region.code for p in households_off_norm(root=county)} == {"3399010010010101"}
