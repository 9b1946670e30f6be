"""The closed loop (GB/T 30428) as the grid app's own state machine: each step by
its role, refused for the wrong role (403), outside the view (404) and out of
order (409), with the matter following on the one timeline."""
import pytest
from django.core.exceptions import ValidationError

from governance.choices import CaseStatus, EventType as TimelineType
from governance.models import Case, CaseEvent, Clock, Notification
from grid.choices import EventStatus as S
from grid.models import GridEvent
from grid.services import CaseChangeForbidden, CaseNotFound, InvalidTransition, loop
from tests.grid.conftest import jpeg, report, to_step

pytestmark = pytest.mark.django_db


def steps_on_timeline(event):
    return list(CaseEvent.objects.filter(case_id=event.pk, type=TimelineType.STEP).values_list("data__step", flat=True))


def test_a_report_is_a_grid_matter_held_by_the_village_center(people):
    event = report(people["gridworker"], latitude="30.261234", longitude="120.123456")
    case = Case.objects.get(pk=event.pk)
    assert (case.kind, case.channel, case.status, case.tier) == ("grid_event", "grid_report", "registered", "village")
    assert case.holder.name == "青山村社会治理工作站" and case.registered_by == people["gridworker"]
    assert case.category.code == "housing_land" and case.deadline is not None  # the tier clock runs
    assert str(event.latitude) == "30.261234" and event.photos.count() == 1
    assert case.clock("grid.register") is not None and event.step_due_at == case.clock("grid.register").due_at
    assert steps_on_timeline(event) == ["report"]
    assert Notification.objects.filter(case=case, organisation=case.holder, kind="message").exists()


def test_the_whole_loop_with_the_matter_following(people):
    event = report(people["gridworker"])
    event = to_step(event, people, "registered")
    assert Case.objects.get(pk=event.pk).status == CaseStatus.IN_PROGRESS
    event = to_step(GridEvent.objects.get(pk=event.pk), people, "dispatched")
    assert (event.handling_org.name, event.assignee.username) == ("县人社局", "handler")
    assert Case.objects.get(pk=event.pk).holder.name == "青山村社会治理工作站"  # the center keeps it and closes it
    assert Case.objects.restrict(people["handler"], "view").filter(pk=event.pk).exists()  # the handler sees it now
    assert Notification.objects.filter(case_id=event.pk, user=people["handler"]).exists()
    event = loop.event_handle(event_id=event.pk, actor=people["handler"])
    event = loop.event_feedback(event_id=event.pk, actor=people["handler"], note="已拆除私拉电线",
                                photos=[jpeg("flower.jpg")])
    assert Notification.objects.filter(case_id=event.pk, user=people["gridworker"]).exists()  # asked to verify
    event = loop.event_verify(event_id=event.pk, actor=people["gridworker"], passed=True, photos=[jpeg()])
    event = loop.event_close(event_id=event.pk, actor=people["village_clerk"])
    case = Case.objects.get(pk=event.pk)
    assert case.status == CaseStatus.CLOSED and case.resolved_at is not None
    assert not case.clocks.filter(kind="tier", stopped_at__isnull=True).exists()
    event = loop.event_evaluate(event_id=event.pk, actor=people["village_clerk"], rating=4, note="及时")
    assert (event.status, event.rating, event.step_due_at) == (S.EVALUATED, 4, None)
    assert steps_on_timeline(event) == ["report", "register", "dispatch", "handle", "feedback", "verify", "close",
                                        "evaluate"]
    # Every step had its clock, each stopped in time, none left running.
    kinds = list(Clock.objects.filter(case_id=event.pk, kind__startswith="grid.").order_by("id")
                 .values_list("kind", "outcome"))
    assert kinds == [("grid.register", "met"), ("grid.dispatch", "met"), ("grid.handle", "met"),
                     ("grid.verify", "met"), ("grid.close", "met"), ("grid.evaluate", "met")]
    assert {p.step for p in event.photos.all()} == {"report", "feedback", "verify"}


STEPS = {
    # step: (the state it needs, who may, a call)
    "register": ("reported", "village_clerk", lambda e, a: loop.event_register(event_id=e, actor=a)),
    "decline": ("reported", "village_clerk", lambda e, a: loop.event_decline(event_id=e, actor=a, reason="重复")),
    "dispatch": ("registered", "village_clerk",
                 lambda e, a: loop.event_dispatch(event_id=e, actor=a, organisation=a.organisation)),
    "handle": ("dispatched", "handler", lambda e, a: loop.event_handle(event_id=e, actor=a)),
    "feedback": ("handling", "handler",
                 lambda e, a: loop.event_feedback(event_id=e, actor=a, note="好了", photos=[jpeg()])),
    "verify": ("fed_back", "gridworker",
               lambda e, a: loop.event_verify(event_id=e, actor=a, passed=True, photos=[jpeg()])),
    "close": ("verified", "village_clerk", lambda e, a: loop.event_close(event_id=e, actor=a)),
    "evaluate": ("closed", "village_clerk", lambda e, a: loop.event_evaluate(event_id=e, actor=a, rating=3)),
}
PREVIOUS = {"reported": None, "registered": "registered", "dispatched": "dispatched", "handling": "handling",
            "fed_back": "fed_back", "verified": "verified", "closed": "closed"}


def at_state(people, state):
    event = report(people["gridworker"])
    return event if state == "reported" else to_step(event, people, state)


@pytest.mark.parametrize("step", STEPS)
def test_each_step_by_its_role(people, step):
    state, who, call = STEPS[step]
    event = at_state(people, state)
    call(event.pk, people[who])
    assert GridEvent.objects.get(pk=event.pk).status != state


# Who sees the event but may not take the step (403 with the reason), and who does
# not see it at all (404: a handler before anything is dispatched to them).
WRONG_ROLE = {
    "register": [("gridworker", 403), ("village_mediator", 403), ("handler", 404)],
    "decline": [("gridworker", 403), ("leader", 403)],
    "dispatch": [("gridworker", 403), ("village_mediator", 403), ("leader", 403)],
    "handle": [("gridworker", 403), ("village_clerk", 403), ("housing_handler", 404)],
    "feedback": [("village_clerk", 403), ("gridworker", 403), ("leader", 403)],
    "verify": [("handler", 403), ("leader", 403), ("gridworker_shiqiao", 404)],
    "close": [("gridworker", 403), ("handler", 403), ("leader", 403)],
    "evaluate": [("gridworker", 403), ("handler", 403)],
}


@pytest.mark.parametrize("step", STEPS)
def test_each_step_refused_for_the_wrong_role_with_nothing_changed(people, step):
    state, _who, call = STEPS[step]
    event = at_state(people, state)
    before = CaseEvent.objects.filter(case_id=event.pk).count()
    for name, expected in WRONG_ROLE[step]:
        with pytest.raises((CaseChangeForbidden, CaseNotFound)) as refused:
            call(event.pk, people[name])
        assert refused.type is {403: CaseChangeForbidden, 404: CaseNotFound}[expected], name
        if expected == 403:
            assert str(refused.value), name  # the reason, for the 403
    assert GridEvent.objects.get(pk=event.pk).status == state
    assert CaseEvent.objects.filter(case_id=event.pk).count() == before


@pytest.mark.parametrize("step", STEPS)
def test_each_step_refused_out_of_order(people, step):
    state, who, call = STEPS[step]
    wrong = "closed" if state != "closed" else "verified"
    event = at_state(people, wrong)
    with pytest.raises(InvalidTransition, match="not possible now|不能"):
        call(event.pk, people[who])
    assert GridEvent.objects.get(pk=event.pk).status == wrong


def test_outside_the_view_is_not_found(people):
    event = report(people["gridworker"])
    assert GridEvent.objects.visible_to(people["town_clerk"]).filter(pk=event.pk).exists()  # its town sees it
    for outsider in ("other_town_clerk", "housing_handler", "gridworker_shiqiao"):
        assert not GridEvent.objects.visible_to(people[outsider]).filter(pk=event.pk).exists()
        with pytest.raises(CaseNotFound):
            loop.event_register(event_id=event.pk, actor=people[outsider])


def test_a_failed_verification_goes_back_to_the_handler(people):
    event = to_step(report(people["gridworker"]), people, "fed_back")
    with pytest.raises(ValidationError):  # failing needs the reason
        loop.event_verify(event_id=event.pk, actor=people["gridworker"], passed=False, photos=[jpeg()])
    event = loop.event_verify(event_id=event.pk, actor=people["gridworker"], passed=False,
                              note="电动车仍在楼道充电", photos=[jpeg()])
    assert (event.status, event.round) == (S.HANDLING, 2)
    assert Notification.objects.filter(case_id=event.pk, user=people["handler"], note__contains="仍在楼道").exists()
    handle = Case.objects.get(pk=event.pk).clock("grid.handle")
    assert handle is not None and handle.data["round"] == 2  # a new handling clock for the new round
    event = loop.event_feedback(event_id=event.pk, actor=people["handler"], note="已清走电动车", photos=[jpeg()])
    event = loop.event_verify(event_id=event.pk, actor=people["gridworker"], passed=True, photos=[jpeg()])
    assert event.status == S.VERIFIED


def test_the_worker_verifies_with_a_photo_the_center_may_without(people):
    event = to_step(report(people["gridworker"]), people, "fed_back")
    with pytest.raises(ValidationError, match="photo|照片"):
        loop.event_verify(event_id=event.pk, actor=people["gridworker"], passed=True)
    event = loop.event_verify(event_id=event.pk, actor=people["village_clerk"], passed=True, note="电话回访确认")
    assert event.status == S.VERIFIED


def test_feedback_needs_what_was_done_and_a_photo(people):
    event = to_step(report(people["gridworker"]), people, "handling")
    with pytest.raises(ValidationError):
        loop.event_feedback(event_id=event.pk, actor=people["handler"], note="", photos=[jpeg()])
    with pytest.raises(ValidationError):
        loop.event_feedback(event_id=event.pk, actor=people["handler"], note="好了", photos=[])
    assert GridEvent.objects.get(pk=event.pk).status == S.HANDLING


def test_declined_report_terminates_the_matter_and_tells_the_worker(people):
    event = report(people["gridworker"])
    loop.event_decline(event_id=event.pk, actor=people["village_clerk"], reason="与已立案事件重复")
    assert Case.objects.get(pk=event.pk).status == CaseStatus.TERMINATED
    assert Notification.objects.filter(case_id=event.pk, user=people["gridworker"], note__contains="重复").exists()
    assert not Clock.objects.filter(case_id=event.pk, kind__startswith="grid.", stopped_at__isnull=True).exists()


def test_dispatch_to_the_centers_own_staff_or_a_body_serving_the_place(people):
    event = to_step(report(people["gridworker"]), people, "registered")
    center = people["village_clerk"]
    with pytest.raises(ValidationError):  # nobody chosen
        loop.event_dispatch(event_id=event.pk, actor=center)
    with pytest.raises(ValidationError):  # another town's center: neither the center's staff nor a body serving it
        loop.event_dispatch(event_id=event.pk, actor=center, organisation=people["other_town_clerk"].organisation)
    with pytest.raises(ValidationError):  # nor the center above it
        loop.event_dispatch(event_id=event.pk, actor=center, organisation=people["town_clerk"].organisation)
    with pytest.raises(ValidationError):  # a person of another body than the one named
        loop.event_dispatch(event_id=event.pk, actor=center, organisation=people["handler"].organisation,
                            assignee=people["housing_handler"])
    event = loop.event_dispatch(event_id=event.pk, actor=center, assignee=people["village_mediator"])
    assert event.handling_org == center.organisation  # its own staff


def test_after_escalation_the_town_center_runs_the_loop(people):
    """The matter's tier clock escalates the event to the town center like any other matter:
    the town's staff then take the center's steps, the village's no longer can."""
    import datetime

    import time_machine

    from governance.timers.sweep import sweep_clocks

    event = report(people["gridworker"])
    due = Case.objects.get(pk=event.pk).deadline
    sweep_clocks(now=due + datetime.timedelta(minutes=1))
    case = Case.objects.get(pk=event.pk)
    assert (case.tier, case.holder.name) == ("town", "青山镇社会治理中心")
    with pytest.raises(CaseChangeForbidden):
        loop.event_register(event_id=event.pk, actor=people["village_clerk"])
    with time_machine.travel(due + datetime.timedelta(minutes=2)):
        event = loop.event_register(event_id=event.pk, actor=people["town_clerk"])
    assert event.status == S.REGISTERED


def test_the_handler_sends_back_what_is_not_theirs_and_the_center_dispatches_again(people):
    event = to_step(report(people["gridworker"]), people, "dispatched")
    with pytest.raises(ValidationError):
        loop.event_send_back(event_id=event.pk, actor=people["handler"], reason=" ")
    with pytest.raises(CaseChangeForbidden):
        loop.event_send_back(event_id=event.pk, actor=people["gridworker"], reason="不是我的")
    event = loop.event_send_back(event_id=event.pk, actor=people["handler"], reason="出租房屋安全属住建部门职责")
    assert (event.status, event.handling_org, event.assignee) == (S.REGISTERED, None, None)
    assert Case.objects.get(pk=event.pk).clock("grid.dispatch") is not None
    assert Notification.objects.filter(case_id=event.pk, organisation=Case.objects.get(pk=event.pk).holder,
                                       note__contains="住建部门职责").exists()
    with pytest.raises(CaseChangeForbidden):  # no longer theirs (they still see it: what they handled)
        loop.event_send_back(event_id=event.pk, actor=people["handler"], reason="再退一次")
    event = loop.event_dispatch(event_id=event.pk, actor=people["village_clerk"], assignee=people["housing_handler"])
    assert event.assignee == people["housing_handler"]
    loop.event_handle(event_id=event.pk, actor=people["housing_handler"])
    with pytest.raises(CaseChangeForbidden):  # given to a named person: only they handle it now
        loop.event_handle(event_id=event.pk, actor=people["handler"])


def test_a_departments_desk_any_of_its_handlers_may_take_it(people):
    from governance.models import User

    colleague = User.objects.create_user("housing_2", organisation=people["housing_handler"].organisation,
                                         role="handler")
    event = to_step(report(people["gridworker"]), people, "registered")
    loop.event_dispatch(event_id=event.pk, actor=people["village_clerk"],
                        organisation=people["housing_handler"].organisation)
    assert Case.objects.restrict(colleague, "view").filter(pk=event.pk).exists()
    event = loop.event_handle(event_id=event.pk, actor=colleague)
    assert event.status == S.HANDLING
