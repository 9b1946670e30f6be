"""The audit trail: every change to a matter's fields, its parties and the
configuration (tier rules, routing, categories, staff's roles and organisations),
with before and after, who and when, written by database triggers, so a change
from the shell is on record too; the admin lists it, searches it, and opens each
record's own history."""
import pghistory
import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from governance.models import Case, Category, Organisation, Party, TierRule, User
from intake.models import CategoryRoute
from tests.factories import CaseFactory


def changes(obj):
    """[(label, diff)] of ``obj``'s events, oldest first."""
    return [(e.pgh_label, e.pgh_diff) for e in Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id")]


def test_a_status_change_through_the_api_is_recorded_with_who_and_before_and_after(demo, api_client, staff):
    from governance.accounts.models import ApiToken

    case = CaseFactory()
    _token, key = ApiToken.issue(user=staff("village_clerk"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.post(f"/api/v1/cases/{case.pk}/status/", {"action": "accept"}, format="json").status_code == 200
    event = Events.objects.tracks(case).filter(pgh_label="update").order_by("-pgh_created_at").first()
    assert event.pgh_diff["status"] == ["registered", "in_progress"]
    assert event.pgh_context["user"] == staff("village_clerk").pk
    assert event.pgh_context["url"] == f"/api/v1/cases/{case.pk}/status/"


def test_a_party_corrected_from_the_shell_is_recorded_too(demo):
    case = CaseFactory(parties=[{"role": "applicant", "name": "王建国", "phone": "13912348888"}])
    party = case.parties.get()
    with connection.cursor() as cursor:  # raw SQL: no Django, no signal, the trigger still sees it
        cursor.execute("UPDATE governance_party SET phone = '13800001111' WHERE id = %s", [party.pk])
    assert changes(party)[-1] == ("update", {"phone": ["13912348888", "13800001111"]})
    # A matter's history includes its parties' (the admin opens it with method=references).
    assert any(e.pgh_model == "governance.PartyHistory" for e in Events.objects.references(case))


def test_the_stamp_alone_is_not_an_event(demo):
    case = CaseFactory()
    before = len(changes(case))
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    assert len(changes(case)) == before


def test_one_statement_changing_many_matters_records_each_changed_one_with_its_context(demo, staff):
    """As the sweep changes matters: one UPDATE over many rows (statement-level triggers)."""
    cases = [CaseFactory() for _ in range(3)]
    untouched = CaseFactory()
    before = {case.pk: len(changes(case)) for case in [*cases, untouched]}
    with pghistory.context(user=staff("admin").pk, url="/sweep/"):
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(tier="town")
        Case.objects.filter(pk=untouched.pk).update(updated_at=timezone.now())  # not an event
    for case in cases:
        assert len(changes(case)) == before[case.pk] + 1
        event = Events.objects.tracks(case).filter(pgh_label="update").order_by("-pgh_created_at", "-pgh_id").first()
        assert event.pgh_diff == {"tier": [case.tier, "town"]} and event.pgh_context["url"] == "/sweep/"
    assert len(changes(untouched)) == before[untouched.pk]


@pytest.mark.parametrize("change", ["category", "routing", "role", "organisation", "tier_rule", "deactivate"])
def test_configuration_changes_are_recorded(demo, staff, change):
    with pghistory.context(user=staff("admin").pk, url="/admin/"):
        if change == "category":
            obj = Category.objects.get(code="neighbourhood")
            obj.name = "邻里纠纷（改）"
            obj.save()
            field = "name"
        elif change == "routing":
            obj = CategoryRoute.objects.create(category=Category.objects.get(code="labour"),
                                               organisation=Organisation.objects.get(name="县人社局"))
            obj.organisation = Organisation.objects.get(name="县司法局")
            obj.save()
            field = "organisation"
        elif change in ("role", "organisation", "deactivate"):
            obj = staff("town_clerk")
            field = {"role": "role", "organisation": "organisation", "deactivate": "is_active"}[change]
            value = {"role": "leader", "organisation": Organisation.objects.get(name="县人社局"), "deactivate": False}
            setattr(obj, field, value[change])
            obj.save()
        else:
            obj = TierRule.objects.first()
            obj.limit = obj.limit + 1
            obj.save()
            field = "limit"
    event = Events.objects.tracks(obj).filter(pgh_label="update").order_by("-pgh_created_at").first()
    diff = event.pgh_diff
    key = field if field in diff else f"{field}_id"
    assert key in diff and diff[key][0] != diff[key][1]
    assert event.pgh_context["user"] == staff("admin").pk


def test_a_password_hash_never_reaches_the_history(demo, staff):
    user = staff("clerk")
    user.set_password("Another-Pass-2026")
    user.save()
    for event in Events.objects.tracks(user):
        assert "password" not in event.pgh_data


def test_the_history_is_append_only(demo):
    case = CaseFactory()
    history = case.history.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        type(history).objects.filter(pk=history.pk).update(status="closed")
    with pytest.raises(DatabaseError), transaction.atomic():
        type(history).objects.filter(pk=history.pk).delete()


def test_the_admin_searches_the_log_and_opens_a_records_history_with_numbers_masked(demo, client, staff):
    case = CaseFactory(parties=[{"role": "applicant", "name": "王建国", "id_number": "11010519491231002X",
                                 "phone": "13912348888"}])
    party = case.parties.get()
    with pghistory.context(user=staff("admin").pk, url="/test/"):
        Party.objects.filter(pk=party.pk).update(phone="13800001111")
    client.force_login(staff("admin"))
    log = reverse("admin:governance_auditevent_changelist")
    listing = client.get(log, {"q": "governance.party"})
    body = listing.content.decode()
    assert listing.status_code == 200 and "138****1111" in body and "139****8888" in body
    assert "13800001111" not in body and "13912348888" not in body and "11010519491231002X" not in body
    history = client.get(reverse("admin:governance_case_history", args=[case.pk]))
    assert history.status_code == 302 and f"obj=governance.case:{case.pk}" in history["Location"]
    page = client.get(history["Location"]).content.decode()
    assert "138****1111" in page and "13800001111" not in page
    client.force_login(staff("clerk"))  # staff, not an administrator
    assert client.get(log).status_code in (302, 403)
