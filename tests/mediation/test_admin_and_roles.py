"""The mediation app's rows of the role table reach the role groups through the
migrations; the reference data is kept in the admin and imported from CSV."""
import io

import pytest
import tablib
from django.contrib.auth.models import Group
from django.urls import reverse

from governance.models import User
from mediation.models import MediationRules, MediatorProfile, Room
from mediation.resources import MediatorProfileResource, RoomResource


def group_has(role, codename):
    return Group.objects.get(name=role).permissions.filter(content_type__app_label="mediation",
                                                           codename=codename).exists()


@pytest.mark.parametrize("role, codename, expected", [
    ("mediator", "conduct_mediation", True),
    ("mediator", "add_session", True),
    ("clerk", "add_mediation", True),
    ("clerk", "conduct_mediation", False),
    ("leader", "view_mediation_report", True),
    ("mediator", "view_mediation_report", False),
    ("grid_worker", "view_mediation", True),
    ("grid_worker", "add_mediation", False),
    ("handler", "follow_up_mediation", False),
    ("admin", "change_subsidyrate", True),
])
def test_the_role_groups_hold_the_apps_rows(demo, role, codename, expected):
    assert group_has(role, codename) is expected


def _import(resource, csv):
    return resource.import_data(tablib.Dataset().load(io.StringIO(csv), format="csv"), dry_run=False)


def test_mediator_profiles_are_imported_from_csv(demo):
    user = User.objects.create(username="new_mediator", role="mediator", last_name="新", first_name="调解员")
    result = _import(MediatorProfileResource(), (
        "username,body,kind,specialties,languages,monthly_quota,is_active\n"
        "new_mediator,县婚姻家庭调解委员会,industry,\"marriage_family,debt\",\"普通话，客家话\",7,1\n"))
    assert not result.has_errors() and not result.has_validation_errors()
    profile = MediatorProfile.objects.get(user=user)
    assert profile.body.name == "县婚姻家庭调解委员会" and profile.monthly_quota == 7
    assert sorted(profile.specialties.values_list("code", flat=True)) == ["debt", "marriage_family"]
    assert profile.languages == ["普通话", "客家话"]


def test_a_profile_for_someone_who_is_not_a_mediator_is_refused(demo):
    result = _import(MediatorProfileResource(), (
        "username,body,kind,specialties,languages,monthly_quota,is_active\n"
        "gridworker,县婚姻家庭调解委员会,peoples,,,5,1\n"))
    assert result.has_validation_errors() or result.has_errors()
    assert not MediatorProfile.objects.filter(user__username="gridworker").exists()


def test_rooms_are_imported_and_belong_to_centers(demo):
    result = _import(RoomResource(), "center,name,capacity,location,is_active\n"
                                     "临河镇社会治理中心,第二调解室,6,一楼,1\n")
    assert not result.has_errors() and not result.has_validation_errors()
    assert Room.objects.get(name="第二调解室", center__name="临河镇社会治理中心").capacity == 6
    refused = _import(RoomResource(), "center,name,capacity,location,is_active\n县人社局,会议室,6,,1\n")
    assert refused.has_errors() or refused.has_validation_errors()
    assert not Room.objects.filter(name="会议室").exists()


def test_the_admin_keeps_the_reference_data_and_the_time_limits(demo, client, staff):
    client.force_login(staff("admin"))
    for name in ("mediatorprofile", "room", "agreementtemplate", "subsidyrate", "mediationrules"):
        assert client.get(reverse(f"admin:mediation_{name}_changelist")).status_code == 200, name
    # The agreements' prints are in the core's access log (governance.privacy).
    assert client.get(reverse("admin:governance_accesslogentry_changelist")).status_code == 200
    rules = MediationRules.current()
    page = client.get(reverse("admin:mediation_mediationrules_change", args=[rules.pk])).content.decode()
    assert "调解期限（日）" in page and "《人民调解法》第三十三条" in page
    assert client.get(reverse("admin:mediation_mediationrules_add")).status_code == 403  # one row only
    assert client.get(reverse("admin:governance_accesslogentry_add")).status_code == 403
    client.force_login(staff("clerk"))  # reads the rooms, keeps none of them
    assert client.get(reverse("admin:mediation_room_changelist")).status_code == 200
    assert client.get(reverse("admin:mediation_room_add")).status_code == 403
    assert client.get(reverse("admin:mediation_subsidyrate_changelist")).status_code == 403
