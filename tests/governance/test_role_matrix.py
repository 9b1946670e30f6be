"""The role matrix, generated from the table (governance.people.roles.ROLE_ACTIONS):
every role × action × placement of the matter, through the API and through the
pages, with the answer the table and the scope rule give, and nothing changed
when refused.

Each role's person is imported through the staff import (StaffResource), as on a
real install: no group or permission is added by hand. Placements:

- held: their organisation holds the matter;
- seen: they see it but their organisation does not hold it (a center's staff:
  placed in their region; anyone else: granted to them to view);
- unseen: outside their scope (a department does not see the county's matters;
  a county center does not see the neighbouring county's).

Answers: unseen -> 404; seen but the role may not, or an action on what one holds
on a matter not held -> 403; else done (200 on the API, a redirect on the pages).
"""
import io
from dataclasses import dataclass
from typing import Callable

import pytest
import tablib

from governance.cases.services import case_grant
from governance.choices import Role
from governance.models import AccessLogEntry, Bulletin, Case, Category, Organisation, Region, User
from governance.people import roles
from governance.resources import StaffResource
from governance.supervision.moves import centers_above
from intake.routing import dispatch_targets
from tests.factories import CaseFactory, center_of, region

VILLAGE = "339901001001"  # 青山村, in 青山镇
NEIGHBOUR = "339902000000"  # a neighbouring county in the same database

# Where each role's person works.
HOMES = {
    Role.CLERK: "青山镇社会治理中心",
    Role.MEDIATOR: "青山村社会治理工作站",
    Role.GRID_WORKER: "青山村社会治理工作站",
    Role.HANDLER: "县人社局",
    Role.LEADER: "示范县社会治理中心",
    Role.ADMIN: "示范县社会治理中心",
}
# A place whose matters are outside each home's scope.
UNSEEN_PLACE = {
    "青山镇社会治理中心": "339901002001",  # the other town's village
    "青山村社会治理工作站": "339901001002",  # the next village
    "县人社局": VILLAGE,  # a department does not see the county's places
    "示范县社会治理中心": NEIGHBOUR,
}
HELD, SEEN, UNSEEN = "held", "seen", "unseen"
PLACEMENTS = (HELD, SEEN, UNSEEN)


def imported(role):
    """The role's person, brought in through the staff import."""
    username = f"matrix_{role}"
    csv = ("username,last_name,first_name,organisation,role,phone,email,is_active\n"
           f"{username},测,试,{HOMES[role]},{role},,,1\n")
    StaffResource().import_data(tablib.Dataset().load(io.StringIO(csv), format="csv"), dry_run=False,
                                raise_errors=True)
    return User.objects.get(username=username)


def neighbour_center():
    root = Region.objects.filter(code=NEIGHBOUR).first() or Region.objects.add_root(
        create_kwargs={"code": NEIGHBOUR, "name": "邻县", "level": "county"})
    return Organisation.objects.get_or_create(name="邻县社会治理中心", kind="center", region=root)[0]


def matter(user, placement):
    home = user.organisation
    if placement == HELD:
        return CaseFactory(region=region(VILLAGE), holder=home)
    if placement == SEEN:
        if home.kind == "center":
            other = center_of(region(VILLAGE if home.region.code != VILLAGE else "339901001000"))
            return CaseFactory(region=region(VILLAGE), holder=other)
        case = CaseFactory(region=region(VILLAGE))
        case_grant(case_id=case.pk, to_user=user, actor=User.objects.get(username="admin"))
        return case
    code = UNSEEN_PLACE[home.name]
    if code == NEIGHBOUR:
        neighbour_center()
    return CaseFactory(region=region(code))


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (case.status, case.holder_id, case.tier, case.risk_flagged_at, case.supervised_at, case.visit_count,
            case.events.count(), case.user_grants.count(), AccessLogEntry.objects.filter(case=case).count())


def move_target(case):
    above = [c for c in centers_above(case) if c.pk != case.holder_id]
    return above[0] if above else Organisation.objects.get(name="示范县社会治理中心")


def dispatch_target(case):
    return dispatch_targets(region=case.region).exclude(pk=case.holder_id).first() or Organisation.objects.get(
        name="示范县社会治理中心")


def joint_member():
    return Organisation.objects.get(name="县司法局")


def leader():
    return User.objects.get(username="leader")


@dataclass(frozen=True)
class Probe:
    """One door to one action: ``api`` and ``page`` give (url, data) for a matter."""

    name: str
    action: roles.Action
    api: Callable | None
    page: Callable | None
    method: str = "post"


PROBES = [
    Probe("view", roles.VIEW, lambda c: (f"/api/v1/cases/{c.pk}/", None), lambda c: (f"/cases/{c.pk}/", None),
          method="get"),
    Probe("resolve", roles.CHANGE_STATUS,
          lambda c: (f"/api/v1/cases/{c.pk}/status/", {"action": "resolve", "note": "双方和解"}),
          lambda c: (f"/cases/{c.pk}/status/", {"action": "resolve", "note": "双方和解"})),
    Probe("resolve-on-spot", roles.TRIAGE,
          lambda c: (f"/api/v1/cases/{c.pk}/resolve-on-spot/", {"note": "当场解释政策"}),
          lambda c: (f"/intake/cases/{c.pk}/triage/resolve/", {"note": "当场解释政策"})),
    Probe("dispatch", roles.TRIAGE,
          lambda c: (f"/api/v1/cases/{c.pk}/dispatch/", {"to": dispatch_target(c).pk}),
          lambda c: (f"/intake/cases/{c.pk}/triage/dispatch/", {"to": dispatch_target(c).pk})),
    Probe("joint-mediation", roles.TRIAGE,
          lambda c: (f"/api/v1/cases/{c.pk}/joint-mediation/", {"organisations": [joint_member().pk]}),
          lambda c: (f"/intake/cases/{c.pk}/triage/joint/", {"members": [joint_member().pk]})),
    Probe("leader-ownership", roles.TRIAGE,
          lambda c: (f"/api/v1/cases/{c.pk}/leader-ownership/", {"leader": "leader"}),
          lambda c: (f"/intake/cases/{c.pk}/triage/leader/", {"leader": leader().pk})),
    Probe("move", roles.MOVE,
          lambda c: (f"/api/v1/cases/{c.pk}/move/", {"to": move_target(c).pk, "reason": "跨镇纠纷"}),
          lambda c: (f"/cases/{c.pk}/move/", {"to": move_target(c).pk, "reason": "跨镇纠纷"})),
    Probe("supervise", roles.SUPERVISE, None,  # a page only (the supervision list)
          lambda c: (f"/cases/{c.pk}/supervise/", {"instruction": "三日内办结"})),
    Probe("flag-risk", roles.FLAG_RISK,
          lambda c: (f"/api/v1/cases/{c.pk}/flag-risk/", {"note": "扬言上访"}),
          lambda c: (f"/cases/{c.pk}/flag-risk/", {"note": "扬言上访"})),
    # Revealing changes nothing on the matter: what it leaves is a line in the access log.
    Probe("reveal", roles.REVEAL,
          lambda c: (f"/api/v1/cases/{c.pk}/reveal/", {"purpose": "电话回访申请人"}),
          lambda c: (f"/cases/{c.pk}/reveal/", {"purpose": "电话回访申请人", "fields": ["id_number", "phone"]})),
]
# Doors that answer "done" with the page itself rather than a redirect.
SHOWN_AT_ONCE = {"reveal"}


def expected(role, action, placement):
    """What the table and the scope rule say: "not found", "forbidden" or "done"."""
    if placement == UNSEEN:
        return "not found"
    if action not in roles.role_actions(role):
        return "forbidden"
    if action.scope == roles.HOLDS and placement != HELD:
        return "forbidden"
    return "done"


CELLS = [
    pytest.param(role, probe, placement, door, id=f"{role}-{probe.name}-{placement}-{door}")
    for role in Role for probe in PROBES for placement in PLACEMENTS for door in ("api", "page")
    if getattr(probe, door) is not None
]


@pytest.mark.parametrize("role, probe, placement, door", CELLS)
def test_matter_actions(demo, client, api_client, role, probe, placement, door):
    user = imported(role)
    case = matter(user, placement)
    before = snapshot(case)
    url, data = getattr(probe, door)(case)
    if door == "api":
        api_client.force_authenticate(user=user)
        response = getattr(api_client, probe.method)(url, data, format="json")
        codes = {"not found": 404, "forbidden": 403, "done": 200}
    else:
        client.force_login(user)
        response = getattr(client, probe.method)(url, data)
        codes = {"not found": 404, "forbidden": 403,
                 "done": 200 if probe.method == "get" or probe.name in SHOWN_AT_ONCE else 302}
    answer = expected(role, probe.action, placement)
    assert response.status_code == codes[answer], response.content.decode()[:500]
    if answer == "done" and probe.method == "post":
        assert snapshot(case) != before
        if door == "page" and probe.name not in SHOWN_AT_ONCE:  # a page redirects on a refusal too
            assert Case.objects.get(pk=case.pk).events.count() > before[6]
    else:
        assert snapshot(case) == before


def registration_payload(**overrides):
    body = {"kind": "dispute", "channel": "hotline", "category": "neighbourhood", "region": VILLAGE,
            "narrative": "楼上漏水，物业不管",
            "parties": [{"role": "applicant", "name": "张三", "id_number": "11010519491231002X",
                         "phone": "13812345678"}]}
    body.update(overrides)
    return body


def desk_form(region_obj):
    return {
        "kind": "dispute", "channel": "walk_in", "category": Category.objects.get(code="neighbourhood").pk,
        "region": region_obj.pk, "address": "青山村3组", "narrative": "邻居装修噪音扰民，多次协商未果",
        "applicant_name": "王小明", "applicant_id_number": "11010519491231002X",
        "applicant_phone": "13812345678", "applicant_address": "", "respondent_name": "李四",
        "respondent_phone": "", "respondent_id_number": "", "respondent_address": "",
    }


@pytest.mark.parametrize("role, in_county, door", [
    pytest.param(role, in_county, door, id=f"{role}-{'own' if in_county else 'other'}-county-{door}")
    for role in Role for in_county in (True, False) for door in ("api", "page")
])
def test_registering(demo, client, api_client, role, in_county, door):
    """Register: for the roles that may, places of their own county (another county's is refused as a bad place)."""
    user = imported(role)
    place = region(VILLAGE) if in_county else neighbour_center().region
    before = Case.objects.count()
    if door == "api":
        api_client.force_authenticate(user=user)
        response = api_client.post("/api/v1/cases/", registration_payload(region=place.code), format="json")
        done = 201
    else:
        client.force_login(user)
        response = client.post("/intake/", desk_form(place))
        done = 302
    if roles.REGISTER not in roles.role_actions(role):
        assert response.status_code == 403
    else:
        assert response.status_code == (done if in_county else 400), response.content.decode()[:500]
    assert Case.objects.count() == before + (response.status_code == done)


ADMIN_PROBES = {
    # Edit the rules: here, add a category (tier and signal rules, working days: the same permissions' pages).
    roles.EDIT_RULES: ("/admin/governance/category/add/",
                       lambda: {"code": "matrix", "name": "矩阵测试", "sort_order": 100, "is_active": "on"},
                       lambda: Category.objects.filter(code="matrix").exists()),
    roles.ADMINISTER: ("/admin/governance/organisation/add/",
                       lambda: {"name": "县矩阵局", "kind": "department", "is_active": "on",
                                "region": Region.objects.get(code="339901000000").pk},
                       lambda: Organisation.objects.filter(name="县矩阵局").exists()),
    # The dashboards: here, ask for a weekly bulletin of the county (written on the reports queue).
    roles.DASHBOARDS: ("/bulletins/", lambda: {"kind": "weekly", "region": "339901000000"},
                       lambda: Bulletin.objects.exists()),
}


@pytest.mark.parametrize("role, action", [
    pytest.param(role, action, id=f"{role}-{action.name}") for role in Role for action in ADMIN_PROBES
])
def test_keeping_rules_places_and_staff(demo, client, role, action):
    """Actions on no single matter, in the admin (imported staff are staff users)."""
    user = imported(role)
    client.force_login(user)
    url, data, exists = ADMIN_PROBES[action]
    response = client.post(url, data())
    if action in roles.role_actions(role):
        assert response.status_code == 302, response.content.decode()[:1000]
        assert exists()
    else:
        assert response.status_code == 403
        assert not exists()


def test_every_action_of_the_table_is_tried():
    tried = {probe.action for probe in PROBES} | {roles.REGISTER} | set(ADMIN_PROBES)
    assert tried == set(roles.ACTIONS.values())
