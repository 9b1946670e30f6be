"""The grid app's rows of the role table reach the role groups through migrate
(nothing seeded by hand here), and the admin keeps the admission list, rates and
grid workers."""
import pytest
from django.contrib.auth.models import Group

from governance.models import Region
from grid.models import EventType, GridAssignment

pytestmark = pytest.mark.django_db


def permissions(role):
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")}


def test_role_groups_carry_the_grid_rows(grid_demo):
    worker = permissions("grid_worker")
    assert {"grid.report_gridevent", "grid.verify_gridevent", "grid.add_patrol"} <= worker
    assert "governance.add_case" not in worker  # a grid worker still registers nothing else
    assert "grid.command_gridevent" not in worker
    assert {"grid.handle_gridevent"} <= permissions("handler")
    assert "grid.command_gridevent" not in permissions("handler")
    assert {"grid.command_gridevent", "grid.urge_gridevent", "grid.add_reward"} <= permissions("clerk")
    assert {"grid.supervise_gridevent", "grid.oversee_gridevent"} <= permissions("leader")
    assert {"grid.change_eventtype", "grid.change_rewardrate", "grid.add_gridassignment",
            "grid.view_gridassignment"} <= permissions("admin")


def test_admin_pages(people, client):
    client.force_login(people["admin"])
    for model in ["eventtype", "rewardrate", "gridassignment", "gridprofile", "buildinghead", "gridevent", "patrol",
                  "reward"]:
        assert client.get(f"/admin/grid/{model}/").status_code == 200, model
    for model in ["eventtype", "rewardrate", "gridassignment", "gridprofile", "buildinghead"]:
        assert client.get(f"/admin/grid/{model}/add/").status_code == 200, model
    assert client.get("/admin/grid/gridevent/add/").status_code == 403
    page = client.get("/admin/grid/eventtype/").content.decode()
    assert "代收代缴费用" in page and "列入准入清单" in page
    kind = EventType.objects.get(code="fee_collection")
    assert client.get(f"/admin/grid/eventtype/{kind.pk}/history/").status_code == 200


def test_a_new_assignment_in_the_admin_ends_the_last(people, client):
    from governance.models import User

    client.force_login(people["admin"])
    grid = Region.objects.get(code="33990100100102")
    newcomer = User.objects.create_user("gridworker_3", organisation=people["gridworker"].organisation,
                                        role="grid_worker")
    response = client.post("/admin/grid/gridassignment/add/", {"grid": grid.pk, "worker": newcomer.pk,
                                                                "note": "轮岗"})
    assert response.status_code == 302, response.content.decode()[:2000]
    spells = list(GridAssignment.objects.filter(grid=grid).order_by("started_at"))
    assert [(s.worker.username, s.ended_at is None) for s in spells] == [("gridworker", False), ("gridworker_3", True)]
    assert spells[1].assigned_by == people["admin"]
