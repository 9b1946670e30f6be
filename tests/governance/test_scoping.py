"""One scope rule for pages, API and admin: 404 outside it, and one query."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Case
from governance.cases import services as services
from tests.factories import CaseFactory, region

FIRST_TOWN_VILLAGE = "339901001001"
SECOND_TOWN_VILLAGE = "339901002001"


@pytest.fixture
def first_town_case(demo):
    return CaseFactory(region=region(FIRST_TOWN_VILLAGE))


def login(client, staff, username):
    client.force_login(staff(username))
    return client


@pytest.mark.parametrize(
    "username, visible",
    [("other_town_clerk", False), ("town_clerk", True), ("clerk", True), ("leader", True),
     ("village_mediator", True), ("gridworker", True), ("admin", True)],
)
def test_scope_through_pages_api_and_admin(client, api_as, staff, first_town_case, username, visible):
    expected = 200 if visible else 404
    login(client, staff, username)
    assert client.get(f"/cases/{first_town_case.pk}/").status_code == expected
    api = api_as(username)
    assert api.get(f"/api/v1/cases/{first_town_case.pk}/").status_code == expected
    assert api.get(f"/api/v1/cases/{first_town_case.pk}/events/").status_code == expected
    listed = [row["number"] for row in api.get("/api/v1/cases/", {"page_size": 500}).json()["results"]]
    assert (first_town_case.number in listed) is visible
    table = client.get("/cases/", {"q": first_town_case.number}, HTTP_HX_REQUEST="true")
    assert (f">{first_town_case.number}</a>" in table.content.decode()) is visible


def test_admin_follows_the_same_rule(client, staff, first_town_case):
    url = f"/admin/governance/case/{first_town_case.pk}/change/"
    assert login(client, staff, "other_town_clerk").get(url).status_code == 404
    listing = client.get("/admin/governance/case/")
    assert listing.status_code == 200 and first_town_case.number not in listing.content.decode()
    town = login(client, staff, "town_clerk").get(url)
    assert town.status_code == 200 and first_town_case.number in town.content.decode()


def test_out_of_scope_user_cannot_change_through_page_or_api(client, api_as, staff, first_town_case):
    login(client, staff, "other_town_clerk")
    assert client.post(f"/cases/{first_town_case.pk}/status/", {"action": "accept"}).status_code == 404
    api = api_as("other_town_clerk")
    assert api.post(f"/api/v1/cases/{first_town_case.pk}/status/", {"action": "accept"}).status_code == 404
    first_town_case.refresh_from_db()
    assert first_town_case.status == "registered" and first_town_case.events.count() == 1


def test_seeing_is_not_changing(client, api_as, staff, first_town_case):
    # The town clerk sees the village's case but the village center holds it.
    api = api_as("town_clerk")
    response = api.post(f"/api/v1/cases/{first_town_case.pk}/status/", {"action": "accept"})
    assert response.status_code == 403
    assert login(client, staff, "town_clerk").post(
        f"/cases/{first_town_case.pk}/status/", {"action": "accept"}
    ).status_code == 403
    # The holder's staff can.
    response = api_as("village_mediator").post(f"/api/v1/cases/{first_town_case.pk}/status/", {"action": "accept"})
    assert response.status_code == 200 and response.json()["status"] == "in_progress"


def test_second_town_case_is_invisible_to_the_first_town(api_as, demo):
    case = CaseFactory(region=region(SECOND_TOWN_VILLAGE))
    assert api_as("town_clerk").get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api_as("other_town_clerk").get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_a_guardian_grant_opens_exactly_one_case(api_as, staff, first_town_case):
    other = CaseFactory(region=region(FIRST_TOWN_VILLAGE))
    outsider = staff("other_town_clerk")
    services.case_grant(case_id=first_town_case.pk, to_user=outsider, actor=staff("leader"))
    api = api_as("other_town_clerk")
    assert api.get(f"/api/v1/cases/{first_town_case.pk}/").status_code == 200
    assert api.get(f"/api/v1/cases/{other.pk}/").status_code == 404
    numbers = {row["number"] for row in api.get("/api/v1/cases/", {"page_size": 500}).json()["results"]}
    assert first_town_case.number in numbers and other.number not in numbers


def test_a_change_grant_lets_an_outsider_change_one_case(api_as, staff, first_town_case):
    outsider = staff("other_town_clerk")
    services.case_grant(case_id=first_town_case.pk, to_user=outsider, actor=staff("leader"), can_change=True)
    response = api_as("other_town_clerk").post(
        f"/api/v1/cases/{first_town_case.pk}/status/", {"action": "accept"}
    )
    assert response.status_code == 200


def test_scope_is_one_query(staff, first_town_case):
    user = staff("town_clerk")
    with CaptureQueriesContext(connection) as queries:
        numbers = list(Case.objects.restrict(user).values_list("number", flat=True))
    assert first_town_case.number in numbers
    # The first time: the user's organisation and their permissions (two queries),
    # then cached on the user object; and one for the matters.
    assert len(queries) <= 4
    with CaptureQueriesContext(connection) as queries:
        list(Case.objects.restrict(user).values_list("number", flat=True))
    assert len(queries) == 1


def test_county_staff_see_only_their_own_county(staff, first_town_case):
    from governance.models import Organisation, Region, User

    other_county = Region.objects.add_root(create_kwargs={"code": "339902000000", "name": "邻县", "level": "county"})
    center = Organisation.objects.create(name="邻县社会治理中心", kind="center", region=other_county)
    neighbour = User.objects.create(username="neighbour_clerk", organisation=center, role="clerk")
    theirs = CaseFactory(region=other_county, holder=center)
    assert not Case.objects.restrict(neighbour).filter(pk=first_town_case.pk).exists()
    assert Case.objects.restrict(neighbour).filter(pk=theirs.pk).exists()
    assert not Case.objects.restrict(staff("leader")).filter(pk=theirs.pk).exists()
    assert Case.objects.restrict(staff("admin")).filter(pk=theirs.pk).exists()  # superuser


def department_handler():
    from governance.models import Organisation, User

    return User.objects.create(username="labour_handler", role="handler",
                               organisation=Organisation.objects.get(name="县人社局"))


def test_county_departments_see_what_they_hold_registered_or_were_given_not_the_county(api_as, staff, demo):
    from governance.models import Organisation

    handler = department_handler()
    bureau = handler.organisation
    village_case = CaseFactory(region=region(FIRST_TOWN_VILLAGE))  # held by the village station
    held = CaseFactory(region=region(FIRST_TOWN_VILLAGE), holder=bureau)
    registered = CaseFactory(region=region(SECOND_TOWN_VILLAGE), actor=handler)
    given = CaseFactory(region=region(SECOND_TOWN_VILLAGE))
    services.case_grant(case_id=given.pk, to_user=handler, actor=staff("admin"))
    seen = set(Case.objects.restrict(handler).values_list("pk", flat=True))
    assert {held.pk, registered.pk, given.pk} <= seen and village_case.pk not in seen
    # A mediation committee at the county is no center either.
    committee_mediator = staff("mediator")
    assert committee_mediator.organisation.kind != "center"
    assert not Case.objects.restrict(committee_mediator).filter(pk=village_case.pk).exists()
    # The county center's own staff see the county.
    county = Organisation.objects.get(kind="center", region__code="339901000000")
    assert staff("leader").organisation == county
    assert Case.objects.restrict(staff("leader")).filter(pk__in=[village_case.pk, held.pk]).count() == 2


def test_seeing_by_a_grant_is_not_changing(api_as, staff, first_town_case):
    handler = department_handler()
    services.case_grant(case_id=first_town_case.pk, to_user=handler, actor=staff("admin"))
    assert Case.objects.restrict(handler).filter(pk=first_town_case.pk).exists()
    assert not Case.objects.restrict(handler, "change").filter(pk=first_town_case.pk).exists()


def test_a_grid_worker_sees_the_village_but_may_not_resolve(api_as, first_town_case):
    api = api_as("gridworker")
    assert api.get(f"/api/v1/cases/{first_town_case.pk}/").status_code == 200
    response = api.post(f"/api/v1/cases/{first_town_case.pk}/status/", {"action": "resolve", "note": "已处理"})
    assert response.status_code == 403
    assert response.json()["detail"] == "您的岗位不能变更事项状态。"
    first_town_case.refresh_from_db()
    assert first_town_case.status == "registered" and first_town_case.events.count() == 1


def test_a_refusal_says_why_in_chinese(api_as, first_town_case):
    response = api_as("town_clerk").post(f"/api/v1/cases/{first_town_case.pk}/move/",
                                         {"to": first_town_case.holder_id, "reason": "x"})
    assert response.status_code == 403 and response.json()["detail"] == "只有中心领导可以在层级之间移交事项。"
    response = api_as("town_clerk").post(f"/api/v1/cases/{first_town_case.pk}/status/", {"action": "accept"})
    assert response.json()["detail"] == "您可以查看此事项，但它不由您所在单位承办，不能修改。"


def test_without_a_role_nobody_sees_anything(demo, first_town_case):
    from governance.models import Organisation, User

    nobody = User.objects.create(username="no_role", organisation=Organisation.objects.get(name="青山镇社会治理中心"))
    assert not Case.objects.restrict(nobody).exists()


@pytest.mark.parametrize("username", ["town_clerk", "handler"])
def test_the_scope_can_use_the_indexes(staff, first_town_case, username):
    """Each arm of the scope is `column = value` or `column = ANY(ARRAY(subquery))`:
    with sequential scans priced out, PostgreSQL reads the matters by index only."""
    user = staff(username)
    queryset = Case.objects.restrict(user).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on governance_case" not in plan, plan
    assert "BitmapOr" in plan, plan
