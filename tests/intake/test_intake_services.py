"""Registration, repeat visits, routing and every triage action, through the services."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import Category, Notification, Organisation, Region, User
from governance.cases.services import CaseChangeForbidden, InvalidTransition
from intake import selectors, services
from intake.models import CategoryRoute, Intake, Window
from intake.routing import suggest_holder
from tests.factories import png_bytes

VILLAGE = "339901001001"
GRID = "33990100100101"
PNG = png_bytes()
PDF = b"%PDF-1.4\n" + b"0" * 64


def register(actor, **overrides):
    fields = {
        "channel": "walk_in", "kind": "dispute", "category": Category.objects.get(code="neighbourhood"),
        "region": Region.objects.get(code=VILLAGE), "narrative": "邻居装修噪音扰民",
        "parties": [{"role": "applicant", "name": "王小明", "id_number": "11010519491231002X",
                     "phone": "13812345678"}],
    }
    fields.update(overrides)
    return services.intake_register(actor=actor, **fields)


def center(code):
    return Organisation.objects.get(region__code=code, kind="center")


def test_window_registration_is_held_by_the_clerks_center_with_a_deadline(demo, staff):
    clerk = staff("clerk")
    window = Window.objects.get(clerks=clerk)
    case = register(clerk, window=window)
    assert (case.holder, case.tier, case.status) == (clerk.organisation, "county", "registered")
    assert case.deadline is not None and case.clock().remind_at < case.deadline
    assert Intake.objects.get(case=case).window == window
    assert selectors.windows_today(center=clerk.organisation).get(pk=window.pk).today == 1


def test_routing_suggests_village_center_for_disputes_and_admin_routes_win(demo):
    grid = Region.objects.filter(level="grid", path__startswith=Region.objects.get(code=VILLAGE).path).first()
    labour = Category.objects.get(code="labour")
    assert suggest_holder(kind="dispute", category=labour, region=grid) == center(VILLAGE)
    department = suggest_holder(kind="consultation", category=labour, region=grid)
    assert department.kind != "center" and labour in department.categories.all()
    court = Organisation.objects.get(region__code="339901000000", kind="center")
    CategoryRoute.objects.create(category=labour, organisation=court)
    assert suggest_holder(kind="dispute", category=labour, region=grid) == court


def test_api_style_registration_is_dispatched_at_once_to_the_village(demo):
    case = register(None, channel="hotline", dispatch=True)
    assert (case.holder, case.tier, case.status) == (center(VILLAGE), "village", "in_progress")
    assert list(case.events.values_list("type", flat=True)) == ["created", "dispatched"]
    assert Notification.objects.filter(case=case, organisation=center(VILLAGE), kind="dispatched").exists()


def test_repeat_visit_is_counted_on_the_matter_not_a_new_one(demo, staff):
    clerk = staff("clerk")
    case = register(clerk)
    related = selectors.related_open_matters(user=clerk, id_numbers=["11010519491231002X"], category=case.category,
                                             region=case.region)
    assert list(related) == [case]
    other_place = selectors.related_open_matters(user=clerk, id_numbers=["11010519491231002X"],
                                                 category=case.category, region=Region.objects.get(code="339901002001"))
    assert list(other_place) == []
    services.case_link_repeat_visit(case_id=case.pk, actor=clerk, channel="walk_in", note="又来反映")
    case.refresh_from_db()
    assert case.visit_count == 2
    assert case.events.filter(type="repeat_visit").count() == 1
    assert Intake.objects.filter(case=case, is_repeat=True).count() == 1


def test_returning_visitor_is_found_by_id_number_or_phone(demo, staff):
    clerk = staff("clerk")
    register(clerk)
    assert selectors.returning_visitor(user=clerk, id_number="11010519491231002X").name == "王小明"
    assert selectors.returning_visitor(user=clerk, phone="13812345678").name == "王小明"
    # another town's clerk does not see this village's visitors
    assert selectors.returning_visitor(user=staff("other_town_clerk"), phone="13812345678") is None


def test_resolve_on_spot_needs_a_note(demo, staff):
    case = register(staff("clerk"))
    with pytest.raises(InvalidTransition):
        services.case_resolve_on_spot(case_id=case.pk, actor=staff("clerk"), note=" ")
    services.case_resolve_on_spot(case_id=case.pk, actor=staff("clerk"), note="双方当场达成谅解")
    case.refresh_from_db()
    assert case.status == "resolved"
    assert case.events.get(type="status_changed").data == {"triage": "resolved_on_spot"}


def test_dispatch_sets_tier_and_deadline_from_the_new_holders_rule(demo, staff):
    clerk = staff("clerk")
    case = register(clerk)
    county_deadline = case.deadline
    services.case_dispatch(case_id=case.pk, actor=clerk, to=center(VILLAGE), note="请村调委会调处")
    case.refresh_from_db()
    assert (case.holder, case.tier, case.status) == (center(VILLAGE), "village", "in_progress")
    assert case.deadline < county_deadline  # 5 working days, not 30
    with pytest.raises(CaseChangeForbidden):  # the county clerk no longer holds it
        services.case_dispatch(case_id=case.pk, actor=clerk, to=center("339901001000"))


def test_dispatch_to_an_organisation_of_another_place_is_refused(demo, staff):
    clerk = staff("clerk")
    case = register(clerk)
    with pytest.raises(InvalidTransition):
        services.case_dispatch(case_id=case.pk, actor=clerk, to=center("339901002001"))
    case.refresh_from_db()
    assert case.holder == clerk.organisation


def test_joint_mediation_led_by_the_county_opens_the_matter_to_the_members(demo, staff):
    clerk = staff("town_clerk")
    case = register(clerk)
    members = list(Organisation.objects.exclude(kind="center").filter(region__code="339901000000")[:2])
    member_staff = User.objects.create(username="lawyer", organisation=members[0], role="handler")
    assert not member_staff.has_perm("governance.change_case", case)
    services.case_joint_mediation(case_id=case.pk, actor=clerk, organisations=members, note="多部门联合调处")
    case.refresh_from_db()
    assert case.holder == center("339901000000")
    assert case.events.get(type="joint_mediation").data["names"] == [m.name for m in members]
    member_staff = User.objects.get(pk=member_staff.pk)  # fresh permission cache
    assert member_staff.has_perm("governance.change_case", case)
    assert Notification.objects.filter(case=case, organisation__in=members).count() == len(members)


def other_county():
    """A neighbouring county in the same database, with its own center, bureau and leader."""
    root = Region.objects.add_root(create_kwargs={"code": "339902000000", "name": "邻县", "level": "county"})
    bureau = Organisation.objects.create(name="邻县司法局", kind="department", region=root)
    center_org = Organisation.objects.create(name="邻县社会治理中心", kind="center", region=root)
    leader = User.objects.create(username="other_leader", organisation=center_org, role="leader")
    return bureau, leader


def test_nobody_from_another_county_joins_or_owns_a_matter(demo, staff):
    bureau, other_leader = other_county()
    clerk = staff("clerk")
    case = register(clerk)
    with pytest.raises(InvalidTransition):
        services.case_joint_mediation(case_id=case.pk, actor=clerk, organisations=[bureau])
    with pytest.raises(InvalidTransition):
        services.case_leader_ownership(case_id=case.pk, actor=clerk, leader=other_leader)
    case.refresh_from_db()
    assert case.status == "registered" and not case.events.exclude(type="created").exists()
    assert not other_leader.has_perm("governance.view_case", case)


def test_an_admin_route_to_another_countys_body_is_ignored(demo):
    bureau, _leader = other_county()
    labour = Category.objects.get(code="labour")
    CategoryRoute.objects.create(category=labour, organisation=bureau)
    assert suggest_holder(kind="dispute", category=labour, region=Region.objects.get(code=VILLAGE)) == center(VILLAGE)


def test_leader_ownership_only_by_a_leader(demo, staff):
    clerk = staff("clerk")
    case = register(clerk)
    with pytest.raises(InvalidTransition):
        services.case_leader_ownership(case_id=case.pk, actor=clerk, leader=staff("mediator"))
    services.case_leader_ownership(case_id=case.pk, actor=clerk, leader=staff("leader"), note="重点矛盾")
    assert case.events.get(type="leader_ownership").data["leader"] == "leader"
    assert Notification.objects.filter(case=case, user=staff("leader")).exists()


def test_police_referral_linked_a_third_time_escalates_to_the_county(demo, staff):
    clerk = staff("village_mediator")
    case = register(clerk, channel="police_referral")
    for _ in range(2):
        services.case_link_repeat_visit(case_id=case.pk, actor=clerk, channel="police_referral")
    case.refresh_from_db()
    assert (case.police_referrals, case.tier) == (3, "county")


def test_attachments_are_checked_by_content_and_size(demo, staff):
    clerk = staff("clerk")
    case = register(clerk, attachments=[SimpleUploadedFile("现场.png", PNG), SimpleUploadedFile("a.pdf", PDF)])
    assert sorted(case.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    before = clerk.organisation.held_cases.count()
    with pytest.raises(ValidationError) as raised:
        register(clerk, attachments=[SimpleUploadedFile("病毒.png", b"MZ\x90\x00" + b"\x00" * 64)])
    assert raised.value.code == "type"
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * services.ATTACHMENT_MAX_BYTES)
    with pytest.raises(ValidationError) as raised:
        register(clerk, attachments=[big])
    assert raised.value.code == "size"
    assert clerk.organisation.held_cases.count() == before  # nothing half-saved


def test_triage_happens_once_an_escalated_matter_cannot_be_sent_back_from_the_window(demo, staff):
    clerk = staff("clerk")
    case = register(clerk)
    services.case_dispatch(case_id=case.pk, actor=clerk, to=center(VILLAGE))
    with pytest.raises(CaseChangeForbidden):  # the village station holds it now, and a mediator does not triage
        services.case_dispatch(case_id=case.pk, actor=staff("village_mediator"), to=center("339901001000"))
    from governance.supervision.signals import case_flag_risk

    case_flag_risk(case_id=case.pk, actor=staff("village_mediator"), note="扬言报复")
    case.refresh_from_db()
    assert case.holder == center("339901000000")
    for attempt in (lambda: services.case_dispatch(case_id=case.pk, actor=clerk, to=center(VILLAGE)),
                    lambda: services.case_resolve_on_spot(case_id=case.pk, actor=clerk, note="x")):
        with pytest.raises(InvalidTransition):
            attempt()
    case.refresh_from_db()
    assert (case.holder, case.status) == (center("339901000000"), "in_progress")


def test_the_first_triage_records_the_status_change_on_its_event(demo, staff):
    clerk = staff("clerk")
    case = register(clerk)
    services.case_dispatch(case_id=case.pk, actor=clerk, to=center(VILLAGE))
    dispatched = case.events.get(type="dispatched")
    assert (dispatched.from_status, dispatched.to_status) == ("registered", "in_progress")
    routed = register(None, channel="hotline", dispatch=True)
    assert routed.events.filter(type="dispatched", from_status="registered", to_status="in_progress").exists()
