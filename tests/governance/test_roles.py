"""The role table holds outside the demo: groups from the migrations, a person's
group from their role (saved, edited in the admin, imported), nothing seeded by
the tests."""
import io
import re

import pytest
import tablib
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.choices import Role
from governance.models import Case, Organisation, User
from governance.people import roles
from governance.resources import StaffResource
from tests.governance.test_role_matrix import registration_payload


def group_permissions(group):
    return {f"{app}.{codename}" for app, codename in
            group.permissions.values_list("content_type__app_label", "codename")}


def test_a_migrated_database_has_one_group_per_role_with_exactly_its_permissions(db):
    table = roles.role_permissions()
    assert set(table) == set(Role.values)
    for role, permissions in table.items():
        assert group_permissions(Group.objects.get(name=role)) == permissions, role


def test_every_permission_the_table_names_exists(db):
    assert roles.sync_role_groups() == []
    names = set().union(*roles.role_permissions().values())
    assert {"governance.triage_case", "governance.move_case", "governance.flag_risk_case",
            "intake.change_categoryroute"} <= names
    existing = {f"{app}.{codename}" for app, codename in
                Permission.objects.values_list("content_type__app_label", "codename")}
    assert names <= existing


def test_the_table_reads_as_the_county_works():
    def may(role, action):
        return action in roles.role_actions(role)

    assert may(Role.CLERK, roles.TRIAGE) and may(Role.CLERK, roles.REGISTER)
    assert may(Role.MEDIATOR, roles.REGISTER) and not may(Role.MEDIATOR, roles.TRIAGE)
    assert may(Role.HANDLER, roles.CHANGE_STATUS) and not may(Role.HANDLER, roles.REGISTER)
    grid_worker = set(roles.role_actions(Role.GRID_WORKER))
    assert grid_worker == {roles.VIEW, roles.FLAG_RISK}
    assert {roles.SUPERVISE, roles.MOVE, roles.TRIAGE} <= set(roles.role_actions(Role.LEADER))
    assert set(roles.role_actions(Role.ADMIN)) == set(roles.ACTIONS.values())
    assert all(not may(role, roles.EDIT_RULES) for role in Role if role != Role.ADMIN)


def test_the_next_migrate_applies_the_table_and_the_apps_rows(db, monkeypatch):
    clerk = Group.objects.get(name=Role.CLERK)
    stray = Permission.objects.get(codename="delete_case")
    clerk.permissions.add(stray)  # added by hand in the admin: the table wins
    clerk.permissions.remove(Permission.objects.get(codename="triage_case"))
    # An app contributes a row (as from its AppConfig.ready()).
    monkeypatch.setattr(roles, "_app_rows", {})
    roles.register_role_permissions({Role.GRID_WORKER: ["governance.view_notification"]})
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate syncs
    assert group_permissions(clerk) == roles.role_permissions()[Role.CLERK]
    assert "governance.view_notification" in group_permissions(Group.objects.get(name=Role.GRID_WORKER))


def test_an_app_row_must_name_a_role_and_a_permission(monkeypatch):
    monkeypatch.setattr(roles, "_app_rows", {})
    with pytest.raises(ValueError):
        roles.register_role_permissions({"janitor": ["governance.view_case"]})
    with pytest.raises(ValueError):
        roles.register_role_permissions({Role.CLERK: ["view_case"]})


def test_the_group_follows_the_role_and_other_groups_stay(demo):
    center = Organisation.objects.get(name="青山镇社会治理中心")
    night_shift = Group.objects.create(name="夜班")
    person = User.objects.create(username="wang", organisation=center, role=Role.CLERK)
    assert set(person.groups.values_list("name", flat=True)) == {"clerk"}
    assert person.has_perm("governance.triage_case")
    person.groups.add(night_shift)
    person.role = Role.GRID_WORKER
    person.save()
    assert set(person.groups.values_list("name", flat=True)) == {"grid_worker", "夜班"}
    assert not person.has_perm("governance.triage_case")  # no stale permission cache
    person.role = ""
    person.save()
    assert set(person.groups.values_list("name", flat=True)) == {"夜班"}


def test_a_migrate_puts_people_whose_role_changed_in_bulk_in_the_right_group(demo):
    person = User.objects.create(username="zhao", role=Role.HANDLER)
    User.objects.filter(pk=person.pk).update(role=Role.LEADER)  # User.save never saw it
    call_command("migrate", verbosity=0)
    assert list(person.groups.values_list("name", flat=True)) == ["leader"]


def test_changing_the_role_in_the_admin_swaps_the_group(demo, client, staff):
    person = User.objects.create(username="li", organisation=Organisation.objects.get(name="县人社局"),
                                 role=Role.HANDLER, is_staff=True)
    client.force_login(staff("admin"))
    url = f"/admin/governance/user/{person.pk}/change/"
    page = client.get(url).content.decode()
    handler_group = Group.objects.get(name=Role.HANDLER)
    assert f'<option value="{handler_group.pk}" selected' in page
    form = {"username": "li", "last_name": "李", "first_name": "", "email": "", "is_active": "on",
            "is_staff": "on", "groups": [handler_group.pk],  # the form still ticks the old role's group
            "organisation": person.organisation_id, "role": Role.LEADER, "phone": "",
            "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00", "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "08:00:00"}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(person.groups.values_list("name", flat=True)) == ["leader"]


def staff_csv(*rows):
    header = "username,last_name,first_name,organisation,role,phone,email,is_active\n"
    return header + "".join(f"{row}\n" for row in rows)


def test_an_unknown_role_in_an_import_is_refused(demo):
    rows = tablib.Dataset().load(io.StringIO(staff_csv("qian,钱,多,临河镇社会治理中心,窗口,13800002222,,1")),
                                 format="csv")
    result = StaffResource().import_data(rows, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not User.objects.filter(username="qian").exists()
    assert not Group.objects.filter(name="窗口").exists()


def import_through_the_admin(client, csv_text):
    """The admin's two steps: upload and preview, then confirm."""
    upload = SimpleUploadedFile("staff.csv", csv_text.encode(), content_type="text/csv")
    page = client.get("/admin/governance/user/import/").content.decode()
    csv_format = re.search(r'<option value="(\d+)">csv</option>', page).group(1)
    preview = client.post("/admin/governance/user/import/", {"import_file": upload, "format": csv_format,
                                                             "resource": "0"})
    assert preview.status_code == 200
    html = preview.content.decode()
    confirm = dict(re.findall(r'<input type="hidden" name="(\w+)"[^>]*value="([^"]*)"', html))
    assert "import_file_name" in confirm, html[:3000]
    return client.post("/admin/governance/user/process_import/", confirm)


def test_staff_imported_in_the_admin_can_register_at_once(demo, client, staff, api_client):
    client.force_login(staff("admin"))
    done = import_through_the_admin(client, staff_csv("sunli,孙,丽,青山镇社会治理中心,clerk,13800003333,,1"))
    assert done.status_code == 302
    imported = User.objects.get(username="sunli")
    assert imported.role == "clerk" and list(imported.groups.values_list("name", flat=True)) == ["clerk"]
    assert not imported.user_permissions.exists()  # nothing added by hand
    api_client.force_authenticate(user=imported)
    response = api_client.post("/api/v1/cases/", registration_payload(), format="json")
    assert response.status_code == 201, response.content
    assert Case.objects.get(number=response.json()["number"]).registered_by == imported


def test_only_who_keeps_staff_may_import_them(demo, client, staff):
    clerk = staff("clerk")
    client.force_login(clerk)  # staff (the admin's read-only pages) but not an administrator
    upload = SimpleUploadedFile("staff.csv", staff_csv("clerk,李,晓燕,示范县社会治理中心,admin,,,1").encode())
    assert client.get("/admin/governance/user/import/").status_code == 403
    assert client.post("/admin/governance/user/import/", {"import_file": upload, "format": "0"}).status_code == 403
    assert client.get("/admin/governance/user/export/").status_code == 403
    clerk.refresh_from_db()
    assert clerk.role == "clerk"


def test_the_readme_shows_the_table_as_the_code_has_it():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    header = next(line for line in readme.splitlines() if line.strip().startswith("| | view |"))
    columns = [cell.strip() for cell in header.strip().strip("|").split("|")][1:]
    names = {"view": "view", "register": "register", "triage": "triage", "change status": "change",
             "move": "move", "supervise": "supervise", "flag risk": "flag_risk", "edit rules": "edit_rules",
             "keep staff": "administer", "dashboards": "dashboards", "reveal": "reveal"}
    assert sorted(names[c] for c in columns) == sorted(roles.ACTIONS)
    for role in Role:
        label = role.value.replace("_", " ")
        row = next(line for line in readme.splitlines() if line.strip().startswith(f"| {label} "))
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")][1:]
        shown = {names[column] for column, cell in zip(columns, cells) if cell == "✓"}
        assert shown == {action.name for action in roles.role_actions(role)}, role


def test_a_village_mediator_registers_and_handles_on_the_matter_page(demo, client, staff):
    from tests.governance.test_role_matrix import VILLAGE, desk_form
    from tests.factories import region

    client.force_login(staff("village_mediator"))
    response = client.post("/intake/", desk_form(region(VILLAGE)))
    case = Case.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.holder == staff("village_mediator").organisation
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/intake/cases/{case.pk}/triage/" not in page  # no triage button
    assert 'value="resolve"' in page  # but the status changes
    triage = client.get(f"/intake/cases/{case.pk}/triage/").content.decode()
    assert 'id="not-triaging"' in triage and "您的岗位不负责分类处置事项。" in triage
    # A clerk of the village's town sees it, may triage, but does not hold it.
    client.force_login(staff("town_clerk"))
    triage = client.get(f"/intake/cases/{case.pk}/triage/").content.decode()
    assert 'id="not-triaging"' in triage and "青山村社会治理工作站" in triage
