from datetime import timedelta

from django.utils import timezone

from governance.timers.sweep import sweep_clocks
from governance.models import Organisation
from tests.factories import registered_at, region


def overdue_county_case():
    county = Organisation.objects.get(region__code="339901000000", kind="center")
    # Held at the county since 50 days ago: its 30 working days ran out.
    case = registered_at(timezone.now() - timedelta(days=50), region=region("339901001001"), holder=county)
    assert sweep_clocks().overdue >= 1
    case.refresh_from_db()
    return case


def test_overdue_county_matters_are_on_the_leaders_list(client, staff):
    case = overdue_county_case()
    client.force_login(staff("leader"))
    html = client.get("/supervision/").content.decode()
    assert case.number in html and "示范县社会治理中心" in html


def test_leader_supervises_with_an_instruction(client, staff):
    case = overdue_county_case()
    client.force_login(staff("leader"))
    empty = client.post(f"/cases/{case.pk}/supervise/", {"instruction": " "}, follow=True)
    assert "请填写督办意见" in empty.content.decode()
    client.post(f"/cases/{case.pk}/supervise/", {"instruction": "三日内反馈化解进展"})
    case.refresh_from_db()
    assert case.supervised_at is not None
    event = case.events.get(type="supervised")
    assert event.note == "三日内反馈化解进展" and event.actor == staff("leader")


def test_clerks_have_no_supervision_list(client, staff):
    case = overdue_county_case()
    client.force_login(staff("clerk"))
    assert client.get("/supervision/").status_code == 403
    assert client.post(f"/cases/{case.pk}/supervise/", {"instruction": "x"}).status_code == 403
    client.force_login(staff("other_town_clerk"))
    assert client.post(f"/cases/{case.pk}/supervise/", {"instruction": "x"}).status_code == 404


def test_the_list_has_page_links(client, staff):
    """It showed 25 rows and no way to the rest."""
    from governance.models import Case

    first = overdue_county_case()
    for _ in range(26):
        registered_at(timezone.now() - timedelta(days=50), region=region("339901001001"), holder=first.holder)
    sweep_clocks()
    overdue = Case.objects.filter(overdue_at__isnull=False).count()
    assert overdue >= 27
    client.force_login(staff("leader"))
    html = client.get("/supervision/").content.decode()
    assert 'id="supervision-pages"' in html and 'href="?page=2"' in html
    second = client.get("/supervision/?page=2").content.decode()
    assert 'href="?page=1"' in second and second.count("/supervise/") == overdue - 25
