"""Every step of a mediation with the real services, and its refusals: in the wrong
state (409), for the wrong role or person (403), outside the scope (404), with
missing input (400) — and nothing changed when refused."""
from datetime import timedelta

import pytest

from governance.choices import CaseStatus, EventType
from governance.models import Case, CaseEvent, Clock, Notification
from mediation import services
from mediation.choices import MediationStatus as S
from mediation.models import Agreement, Mediation
from tests.factories import CaseFactory, region
from tests.mediation.conftest import NOW, accepted, book, in_mediation, opened, settled, village_dispute

pytestmark = pytest.mark.usefixtures("clock")


def status_of(mediation):
    return Mediation.objects.get(pk=mediation.pk).status


def case_status(case):
    return Case.objects.get(pk=case.pk).status


# -- opening ----------------------------------------------------------------------------

def test_the_holding_station_opens_a_mediation_and_the_lead_is_asked(case, staff):
    vm = staff("village_mediator")
    mediation = opened(case, vm, suggestion="专长：邻里")
    assert mediation.status == S.PROPOSED and mediation.body.name == "青山村社会治理工作站"
    step = CaseEvent.objects.get(case=case, type=EventType.STEP, data__step="opened")
    assert "主调解员" in step.note and "专长：邻里" in step.note and not step.is_public
    assert Notification.objects.filter(user=vm, case=case).exists()


@pytest.mark.parametrize("username, refusal", [
    ("gridworker", services.CaseChangeForbidden),  # sees the matter, the role does not open mediations
    ("other_town_clerk", services.CaseNotFound),  # another town: outside the view
    ("handler", services.CaseNotFound),  # a department sees only what it holds
    ("mediator", services.CaseNotFound),  # the county committee does not see a village's matters
])
def test_who_may_not_open_one(case, staff, username, refusal):
    with pytest.raises(refusal):
        opened(case, staff(username), lead=staff("village_mediator"))
    assert not Mediation.objects.filter(case=case).exists()


def test_a_clerk_of_the_town_sees_but_does_not_hold_the_village_matter(case, staff):
    with pytest.raises(services.CaseChangeForbidden, match="承办|领导"):
        opened(case, staff("town_clerk"), lead=staff("village_mediator"))


def test_a_leader_who_sees_the_matter_may_open_one(case, staff):
    mediation = opened(case, staff("leader"), lead=staff("village_mediator"))
    assert mediation.opened_by.username == "leader"


def test_only_an_open_dispute_is_mediated_and_only_once(case, staff, demo):
    vm = staff("village_mediator")
    consultation = CaseFactory(region=region("339901001001"), kind="consultation")
    with pytest.raises(services.InvalidTransition, match="矛盾纠纷"):
        opened(consultation, vm)
    opened(case, vm)
    with pytest.raises(services.InvalidTransition, match="已在调解"):
        opened(case, vm)


def test_the_lead_must_be_a_mediator_with_a_profile(case, staff):
    with pytest.raises(services.ValidationError) as error:
        opened(case, staff("village_mediator"), lead=staff("gridworker"))
    assert "lead" in error.value.message_dict
    assert not Mediation.objects.exists()


def test_a_mediator_from_another_body_is_given_the_matter_while_it_lasts(case, staff):
    mediation = opened(case, staff("village_mediator"), lead=staff("mediator"))
    mediator = staff("mediator")
    assert Case.objects.restrict(mediator, "change").filter(pk=case.pk).exists()
    services.mediation_decline(mediation_id=mediation.pk, actor=mediator, reason="本人需回避。")
    assert not Case.objects.restrict(staff("mediator"), "view").filter(pk=case.pk).exists()


def test_a_joint_mediation_needs_the_whole_1131_team(case, staff):
    vm = staff("village_mediator")
    with pytest.raises(services.ValidationError, match="1131"):
        opened(case, vm, is_joint=True, joint={"coordinator": staff("clerk")})
    team = {"coordinator": staff("clerk"), "host": staff("leader"), "pro_mediator": staff("mediator_family"),
            "lawyer": staff("aid_lawyer"), "psychologist": staff("counsellor"), "tracker": staff("petition_officer")}
    with pytest.raises(services.ValidationError) as error:
        opened(case, vm, is_joint=True, joint={**team, "lawyer": staff("gridworker")})
    assert "lawyer" in error.value.message_dict
    mediation = opened(case, vm, is_joint=True, joint=team)
    assert sorted(mediation.members.values_list("role", flat=True)) == sorted(team)
    # The lawyer (legal aid, a county body) now reads the village matter; the professional mediator may change it.
    assert Case.objects.restrict(staff("aid_lawyer"), "view").filter(pk=case.pk).exists()
    assert not Case.objects.restrict(staff("aid_lawyer"), "change").filter(pk=case.pk).exists()
    assert Case.objects.restrict(staff("mediator_family"), "change").filter(pk=case.pk).exists()


# -- accepting --------------------------------------------------------------------------

def test_the_lead_accepts_the_month_starts_and_the_tier_clock_waits(case, staff):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    assert mediation.status == S.ACCEPTED
    assert case_status(case) == CaseStatus.IN_PROGRESS
    month = Clock.objects.get(case=case, kind="mediation.limit", stopped_at__isnull=True)
    assert month.unit == "calendar_days" and month.limit == 30
    tier = Clock.objects.get(case=case, kind="tier", stopped_at__isnull=True)
    assert tier.paused_at is not None and Case.objects.get(pk=case.pk).deadline is None
    public = CaseEvent.objects.get(case=case, data__step="accepted")
    assert public.is_public and public.data["citizen"]


def test_only_the_lead_accepts_or_declines(case, staff):
    mediation = opened(case, staff("village_mediator"), lead=staff("mediator"))
    # Another mediator: not the lead; a leader: the role does not conduct mediations.
    for username, reason in (("village_mediator", "只有主调解员张德明"), ("leader", "只有调解员才能主持调解")):
        with pytest.raises(services.CaseChangeForbidden, match=reason):
            services.mediation_accept(mediation_id=mediation.pk, actor=staff(username))
    assert status_of(mediation) == S.PROPOSED


def test_declining_needs_a_reason_and_only_before_accepting(case, staff):
    vm = staff("village_mediator")
    mediation = opened(case, vm)
    with pytest.raises(services.ValidationError):
        services.mediation_decline(mediation_id=mediation.pk, actor=vm, reason="  ")
    services.mediation_accept(mediation_id=mediation.pk, actor=vm)
    with pytest.raises(services.InvalidTransition):
        services.mediation_decline(mediation_id=mediation.pk, actor=vm, reason="晚了")
    with pytest.raises(services.InvalidTransition):
        services.mediation_accept(mediation_id=mediation.pk, actor=vm)


def test_a_declined_proposal_frees_the_matter_for_another(case, staff):
    vm = staff("village_mediator")
    first = opened(case, vm, lead=staff("mediator"))
    services.mediation_decline(mediation_id=first.pk, actor=staff("mediator"), reason="与当事人有亲属关系。")
    assert status_of(first) == S.DECLINED
    assert opened(case, vm).status == S.PROPOSED


# -- sessions ---------------------------------------------------------------------------

def test_booking_schedules_and_the_parties_see_the_time(case, staff, village_room):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    session = book(mediation, vm, NOW + timedelta(hours=1), room=village_room)
    assert status_of(mediation) == S.SCHEDULED
    assert list(session.seats.values_list("user__username", flat=True)) == ["village_mediator"]
    assert session.parties.count() == 2
    event = CaseEvent.objects.get(case=case, data__step="session_booked")
    assert event.is_public and event.data["citizen"] and "10:00" in event.note and "调解室" in event.note


def test_sessions_only_while_the_mediation_runs(case, staff, village_room):
    vm = staff("village_mediator")
    mediation = opened(case, vm)
    with pytest.raises(services.InvalidTransition):
        book(mediation, vm, NOW + timedelta(hours=1), room=village_room)


@pytest.mark.parametrize("start, minutes, room, address, field", [
    (NOW - timedelta(hours=1), 60, True, "", "starts_at"),
    (NOW + timedelta(hours=1), -30, True, "", "ends_at"),
    (NOW + timedelta(hours=1), 60, False, "", "room"),
    (NOW + timedelta(hours=1), 13 * 60, True, "", "ends_at"),
])
def test_bad_slots_are_refused_with_the_field(case, staff, village_room, start, minutes, room, address, field):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    with pytest.raises(services.ValidationError) as error:
        services.session_book(mediation_id=mediation.pk, actor=vm, starts_at=start,
                              ends_at=start + timedelta(minutes=minutes), room=village_room if room else None,
                              on_site_address=address)
    assert field in error.value.message_dict
    assert not mediation.sessions.exists()


def test_an_on_site_session_needs_an_address(case, staff):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    session = book(mediation, vm, NOW + timedelta(hours=2), on_site_address="青山村3组王建国家门口")
    assert session.room is None and session.place == "青山村3组王建国家门口"


def test_a_room_too_small_is_refused(case, staff, village_room):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    village_room.capacity = 2
    village_room.save()
    with pytest.raises(services.ValidationError, match="容纳|座"):
        book(mediation, vm, NOW + timedelta(hours=1), room=village_room)


def test_back_to_back_sessions_are_allowed(case, staff, village_room):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    book(mediation, vm, NOW + timedelta(hours=1), room=village_room)  # 10:00-11:00
    book(mediation, vm, NOW + timedelta(hours=2), room=village_room)  # 11:00-12:00
    assert mediation.sessions.count() == 2


def test_an_overlapping_slot_names_the_session_that_holds_it(case, staff, village_room, county_room):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    first = book(mediation, vm, NOW + timedelta(hours=1), room=village_room)
    other = accepted(village_dispute(), vm)
    with pytest.raises(services.SessionClash) as room_clash:
        book(other, vm, NOW + timedelta(minutes=90), room=village_room, participants=[staff("clerk")])
    assert room_clash.value.session == first and room_clash.value.room == village_room
    assert f"{first.pk}" in str(room_clash.value) and case.number in str(room_clash.value)
    # The same person in another room at the same time: refused too, naming the person.
    with pytest.raises(services.SessionClash) as person_clash:
        book(other, vm, NOW + timedelta(minutes=30), room=county_room)
    assert person_clash.value.person == vm and "周桂英" in str(person_clash.value)


def test_cancelling_frees_the_slot_and_unschedules(case, staff, village_room):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    session = book(mediation, vm, NOW + timedelta(hours=1), room=village_room)
    with pytest.raises(services.ValidationError):
        services.session_cancel(session_id=session.pk, actor=vm, reason="")
    services.session_cancel(session_id=session.pk, actor=vm, reason="当事人临时有事")
    assert status_of(mediation) == S.ACCEPTED
    assert not session.seats.filter(is_active=True).exists()
    book(mediation, vm, NOW + timedelta(hours=1), room=village_room)
    with pytest.raises(services.InvalidTransition):
        services.session_cancel(session_id=session.pk, actor=vm, reason="again")


def test_minutes_after_the_session_begins_by_a_mediator_once(case, staff, village_room, clock):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    session = book(mediation, vm, NOW + timedelta(hours=1), room=village_room)

    def record(actor):
        return services.minutes_record(session_id=session.pk, actor=actor, attendees="双方", statements="陈述")

    with pytest.raises(services.InvalidTransition, match="尚未开始"):
        record(vm)
    clock.move_to(NOW + timedelta(hours=1, minutes=5))
    with pytest.raises(services.CaseChangeForbidden):
        record(staff("gridworker"))
    with pytest.raises(services.ValidationError):
        services.minutes_record(session_id=session.pk, actor=vm, attendees="", statements="陈述")
    record(vm)
    assert status_of(mediation) == S.IN_MEDIATION
    with pytest.raises(services.InvalidTransition, match="已记录"):
        record(vm)


# -- outcomes ---------------------------------------------------------------------------

def test_success_draws_the_agreement_and_resolves_the_matter(case, staff, village_room, clock):
    vm = staff("village_mediator")
    mediation = settled(case, vm, village_room, clock)
    assert status_of(mediation) == S.SUCCEEDED
    assert case_status(case) == CaseStatus.RESOLVED
    agreement = Agreement.objects.get(mediation=mediation)
    assert agreement.version == 1 and not agreement.is_signed and agreement.parties[0]["id_number"] == \
        "11010519491231002X"
    assert "青山村社会治理工作站" in agreement.preamble and case.number in agreement.preamble
    assert Clock.objects.get(case=case, kind="mediation.limit").outcome == "met"
    assert Clock.objects.get(case=case, kind="tier").outcome == "met"
    assert Clock.objects.filter(case=case, kind="mediation.follow_up", stopped_at__isnull=True).exists()
    resolved = CaseEvent.objects.get(case=case, type=EventType.STATUS_CHANGED, to_status=CaseStatus.RESOLVED)
    assert resolved.actor == vm and "调解协议" in resolved.note


def test_outcomes_are_refused_before_mediation_and_for_others(case, staff, village_room, clock):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    with pytest.raises(services.InvalidTransition):
        services.mediation_succeed(mediation_id=mediation.pk, actor=vm, facts="f", terms="t")
    in_progress = in_mediation(village_dispute(), vm, village_room, clock, start=NOW + timedelta(hours=3))
    with pytest.raises(services.ValidationError) as error:
        services.mediation_succeed(mediation_id=in_progress.pk, actor=vm, facts="事实", terms="")
    assert "terms" in error.value.message_dict
    with pytest.raises(services.CaseChangeForbidden):
        services.mediation_succeed(mediation_id=in_progress.pk, actor=staff("leader"), facts="事实", terms="条款")
    with pytest.raises(services.ValidationError, match="诉讼|仲裁|途径"):
        services.mediation_fail(mediation_id=in_progress.pk, actor=vm, reason="分歧大", routes=[])
    assert status_of(in_progress) == S.IN_MEDIATION


def test_failure_marks_the_matter_not_resolved(case, staff, village_room, clock):
    vm = staff("village_mediator")
    mediation = in_mediation(case, vm, village_room, clock)
    services.mediation_fail(mediation_id=mediation.pk, actor=vm, reason="赔偿金额分歧大",
                            routes=["arbitration", "administrative"])
    mediation.refresh_from_db()
    assert mediation.status == S.FAILED and mediation.routes == ["arbitration", "administrative"]
    assert case_status(case) == CaseStatus.UNRESOLVED


def test_terminating_by_the_lead_terminates_the_matter(case, staff, village_room):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    book(mediation, vm, NOW + timedelta(hours=1), room=village_room)
    with pytest.raises(services.CaseChangeForbidden):
        services.mediation_terminate(mediation_id=mediation.pk, actor=staff("gridworker"), reason="x")
    services.mediation_terminate(mediation_id=mediation.pk, actor=vm, reason="申请人撤回申请")
    assert status_of(mediation) == S.TERMINATED and case_status(case) == CaseStatus.TERMINATED
    assert Clock.objects.get(case=case, kind="mediation.limit").outcome == "cancelled"


def test_the_limit_is_extended_once_with_what_was_agreed(case, staff):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    due = Clock.objects.get(case=case, kind="mediation.limit").due_at
    with pytest.raises(services.ValidationError):
        services.mediation_extend(mediation_id=mediation.pk, actor=vm, note="")
    services.mediation_extend(mediation_id=mediation.pk, actor=vm, note="双方同意延长调解期限")
    assert Clock.objects.get(case=case, kind="mediation.limit").due_at >= due + timedelta(days=30)
    with pytest.raises(services.InvalidTransition, match="一次"):
        services.mediation_extend(mediation_id=mediation.pk, actor=vm, note="再延长")


# -- follow-up, closing, reopening ------------------------------------------------------

def test_a_satisfied_follow_up_closes_the_mediation_and_the_matter(case, staff, village_room, clock):
    vm = staff("village_mediator")
    mediation = settled(case, vm, village_room, clock)
    services.mediation_follow_up(mediation_id=mediation.pk, actor=vm, method="phone", performance="fully",
                                 satisfaction=5)
    assert status_of(mediation) == S.CLOSED and case_status(case) == CaseStatus.CLOSED
    assert Clock.objects.get(case=case, kind="mediation.follow_up").outcome == "met"
    with pytest.raises(services.InvalidTransition):
        services.mediation_follow_up(mediation_id=mediation.pk, actor=vm, method="phone", performance="fully",
                                     satisfaction=5)


def test_a_follow_up_needs_its_answers(case, staff, village_room, clock):
    vm = staff("village_mediator")
    mediation = settled(case, vm, village_room, clock)
    for bad in ({"method": "letter", "performance": "fully", "satisfaction": 5},
                {"method": "phone", "performance": "fully", "satisfaction": 9},
                {"method": "phone", "performance": "not_applicable", "satisfaction": 4}):
        with pytest.raises(services.ValidationError):
            services.mediation_follow_up(mediation_id=mediation.pk, actor=vm, **bad)
    assert status_of(mediation) == S.SUCCEEDED


def test_a_dissatisfied_follow_up_is_reopened_with_a_fresh_limit(case, staff, village_room, clock):
    vm = staff("village_mediator")
    mediation = settled(case, vm, village_room, clock)
    clock.move_to(NOW + timedelta(days=10))
    services.mediation_follow_up(mediation_id=mediation.pk, actor=vm, method="visit", performance="not_performed",
                                 satisfaction=2, note="对方未付款")
    assert status_of(mediation) == S.FOLLOWED_UP and case_status(case) == CaseStatus.RESOLVED
    with pytest.raises(services.ValidationError):
        services.mediation_reopen(mediation_id=mediation.pk, actor=vm, note="")
    with pytest.raises(services.CaseChangeForbidden):
        services.mediation_reopen(mediation_id=mediation.pk, actor=staff("gridworker"), note="重新调解")
    services.mediation_reopen(mediation_id=mediation.pk, actor=vm, note="协议未履行，重新调解")
    mediation.refresh_from_db()
    assert mediation.status == S.ACCEPTED and mediation.reopened_count == 1 and mediation.outcome == ""
    assert case_status(case) == CaseStatus.IN_PROGRESS
    fresh = Clock.objects.get(case=case, kind="mediation.limit", stopped_at__isnull=True)
    assert fresh.started_at >= NOW + timedelta(days=10)
    # The matter's fresh tier clock waits while the mediation runs again.
    assert Clock.objects.get(case=case, kind="tier", stopped_at__isnull=True).paused_at is not None
    again = book(mediation, vm, NOW + timedelta(days=10, hours=2), room=village_room)
    assert again.mediation_id == mediation.pk


def test_a_satisfied_party_is_not_reopened_and_a_dissatisfied_one_can_be_closed(case, staff, village_room, clock):
    vm = staff("village_mediator")
    mediation = settled(case, vm, village_room, clock)
    services.mediation_follow_up(mediation_id=mediation.pk, actor=vm, method="phone", performance="partly",
                                 satisfaction=4)
    assert status_of(mediation) == S.FOLLOWED_UP  # partly performed: the center decides
    services.mediation_close(mediation_id=mediation.pk, actor=vm, note="余款已另行约定")
    assert status_of(mediation) == S.CLOSED and case_status(case) == CaseStatus.CLOSED
    with pytest.raises(services.InvalidTransition):
        services.mediation_reopen(mediation_id=mediation.pk, actor=vm, note="again")


def test_a_terminated_mediation_is_followed_up_but_not_reopened(case, staff):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    services.mediation_terminate(mediation_id=mediation.pk, actor=vm, reason="申请人撤回")
    services.mediation_follow_up(mediation_id=mediation.pk, actor=vm, method="phone", performance="fully",
                                 satisfaction=1)
    with pytest.raises(services.InvalidTransition, match="终止"):
        services.mediation_reopen(mediation_id=mediation.pk, actor=vm, note="重新调解")


def test_closing_ends_the_teams_right_to_change_the_matter(case, staff, village_room, clock):
    mediator = staff("mediator")
    mediation = opened(case, staff("village_mediator"), lead=mediator)
    services.mediation_accept(mediation_id=mediation.pk, actor=mediator)
    session = book(mediation, mediator, NOW + timedelta(hours=1), room=village_room)
    clock.move_to(NOW + timedelta(hours=1, minutes=30))
    services.minutes_record(session_id=session.pk, actor=mediator, attendees="双方", statements="陈述")
    services.mediation_succeed(mediation_id=mediation.pk, actor=mediator, facts="事实", terms="条款")
    services.mediation_follow_up(mediation_id=mediation.pk, actor=staff("village_mediator"), method="phone",
                                 performance="fully", satisfaction=4)
    mediator = staff("mediator")
    assert Case.objects.restrict(mediator, "view").filter(pk=case.pk).exists()
    assert not Case.objects.restrict(mediator, "change").filter(pk=case.pk).exists()
