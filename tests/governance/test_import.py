"""Admins bulk-import regions and staff from CSV through the admin (django-import-export)."""
import io

import tablib

from governance.models import Region, User
from governance.resources import RegionResource, StaffResource


def dataset(csv_text):
    return tablib.Dataset().load(io.StringIO(csv_text), format="csv")


def test_region_import_builds_the_tree(demo):
    rows = dataset(
        "code,name,level,parent_code\n"
        "339901004000,新桥镇,town,339901000000\n"
        "339901004001,新桥村,village,339901004000\n"
        "33990100400101,新桥村第一网格,grid,339901004001\n"
    )
    result = RegionResource().import_data(rows, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    grid = Region.objects.get(code="33990100400101")
    assert [r.code for r in Region.objects.get_ancestors(grid)] == ["339901000000", "339901004000", "339901004001"]


def test_region_import_with_unknown_parent_is_refused(demo):
    rows = dataset("code,name,level,parent_code\n339901009001,孤村,village,339901009000\n")
    result = RegionResource().import_data(rows, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not Region.objects.filter(code="339901009001").exists()


def test_staff_import(demo):
    rows = dataset(
        "username,last_name,first_name,organisation,role,phone,email,is_active\n"
        "zhangmin,张,敏,临河镇社会治理中心,clerk,13800001111,,1\n"
    )
    result = StaffResource().import_data(rows, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    user = User.objects.get(username="zhangmin")
    assert user.organisation.name == "临河镇社会治理中心" and user.role == "clerk"
    assert not user.has_usable_password()


def test_admin_import_page_is_there_for_admins(client, staff):
    client.force_login(staff("admin"))
    assert client.get("/admin/governance/region/import/").status_code == 200
    assert client.get("/admin/governance/user/import/").status_code == 200
