"""What the dashboards will measure is kept on the matter at resolution: the tier and
holder that resolved it, whether within its limit then in force, and whether the first
visit settled it, not spoiled by a repeat visit linked after the resolution."""
from datetime import timedelta

from django.utils import timezone

from governance.cases.resolution import backfill_resolution_facts
from governance.cases.services import case_change_status
from governance.models import Case, Organisation
from governance.supervision.moves import case_move
from intake.services import case_link_repeat_visit
from tests.factories import CaseFactory, registered_at

VILLAGE = "339901001001"


def resolve(case, actor):
    case_change_status(case_id=case.pk, actor=actor, action="accept")
    return case_change_status(case_id=case.pk, actor=actor, action="resolve", note="双方和解")


def test_resolution_keeps_tier_holder_time_limit_and_first_visit(demo, staff):
    mediator = staff("village_mediator")
    case = CaseFactory()
    resolved = resolve(case, mediator)
    assert (resolved.resolved_tier, resolved.resolved_holder, resolved.resolved_on_time,
            resolved.settled_at_first_visit) == ("village", case.holder, True, True)
    # The visitor comes back after it was settled: the first visit still settled it.
    case_link_repeat_visit(case_id=case.pk, actor=staff("clerk"), channel="walk_in", note="来致谢")
    resolved.refresh_from_db()
    assert resolved.visit_count == 2 and resolved.settled_at_first_visit is True


def test_a_late_resolution_and_a_second_visit_before_it_count_against(demo, staff):
    mediator = staff("village_mediator")
    case = registered_at(timezone.now() - timedelta(days=20))  # its 5 working days ran out
    case_link_repeat_visit(case_id=case.pk, actor=staff("clerk"), channel="walk_in", note="再次来访")
    resolved = resolve(case, mediator)
    assert (resolved.resolved_on_time, resolved.settled_at_first_visit) == (False, False)
    no_limit = CaseFactory()
    Case.objects.filter(pk=no_limit.pk).update(deadline=None)  # as a matter from before the clocks
    no_limit = resolve(no_limit, mediator)
    assert no_limit.resolved_on_time is None


def test_reopening_clears_them_and_the_next_resolution_sets_them_again(demo, staff):
    mediator, leader = staff("village_mediator"), staff("leader")
    case = CaseFactory()
    resolve(case, mediator)
    reopened = case_change_status(case_id=case.pk, actor=mediator, action="reopen", note="又起纠纷")
    assert (reopened.resolved_tier, reopened.resolved_holder, reopened.resolved_on_time,
            reopened.settled_at_first_visit) == ("", None, None, None)
    town = Organisation.objects.get(region__code="339901001000", kind="center")
    case_move(case_id=case.pk, actor=leader, to=town, reason="村级难以化解")
    resolved = case_change_status(case_id=case.pk, actor=staff("town_clerk"), action="resolve", note="镇里调成")
    assert (resolved.resolved_tier, resolved.resolved_holder) == ("town", town)
    assert Case.objects.get(pk=case.pk).resolved_holder == town  # saved, not only in memory


def test_matters_resolved_without_the_service_are_filled_in_from_their_timeline(demo, staff):
    case = CaseFactory()
    Case.objects.filter(pk=case.pk).update(status="resolved", resolved_at=timezone.now())  # as COPY writes them
    assert backfill_resolution_facts() >= 1
    case.refresh_from_db()
    assert (case.resolved_tier, case.resolved_holder_id, case.resolved_on_time, case.settled_at_first_visit) == (
        "village", case.holder_id, True, True)


def test_the_demo_generators_matters_carry_them(demo):
    """The generator writes with COPY, past Case.resolve(): it writes the facts with each
    row, exactly as the backfill derives them from the timeline (so it has nothing left)."""
    from demo.cases import CaseGenerator
    from demo.load import load

    assert load(CaseGenerator(7, pool_size=300), 300) == 300  # generate_cases without its backfill
    resolved = Case.objects.filter(resolved_at__isnull=False)
    assert resolved.exists() and not resolved.filter(resolved_tier="").exists()
    assert not Case.objects.filter(resolved_at__isnull=True).exclude(resolved_tier="").exists()
    facts = ["id", "resolved_tier", "resolved_holder_id", "resolved_on_time", "settled_at_first_visit"]
    written = list(resolved.order_by("id").values_list(*facts))
    assert {row[3] for row in written} == {True, False} and {row[4] for row in written} == {True, False}
    resolved.update(resolved_tier="", resolved_holder=None, resolved_on_time=None, settled_at_first_visit=None)
    assert backfill_resolution_facts() == len(written)
    assert list(resolved.order_by("id").values_list(*facts)) == written
