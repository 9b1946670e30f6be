"""Registration through the one door: the date received, group petitions and their
representatives (art. 20), clear refusals with nothing saved, the tier clock
giving way to the law's periods, and who owes the first step."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from governance.models import Case, CaseEvent, Clock
from petitions.models import Petition, Petitioner
from tests.petitions.helpers import at, on_day, org, person, register_letter, sweep_at

TODAY = date(2026, 11, 16)


def payload(**overrides):
    body = {
        "received_on": "2026-11-16", "channel": "walk_in", "addressed_to": "县人民政府",
        "narrative": "村民反映征地补偿款未足额发放。", "category": "land_acquisition", "region": "339901001001",
        "petitioners": [person()], "group_size": 1, "representatives": [],
    }
    body.update(overrides)
    return body


def representatives(count):
    return [person(name=f"代表{n}", id_number="", phone=f"1391234{n:04d}") for n in range(1, count + 1)]


def register(client, **overrides):
    with on_day(TODAY):
        return client.post("/api/v1/petitions/", payload(**overrides), format="json")


def test_a_group_petition_with_five_representatives_is_registered(db, api_as):
    response = register(api_as("petition_clerk"), petitioners=[], representatives=representatives(5),
                        group_size=40)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "registered" and body["group_size"] == 40
    assert [p["representative"] for p in body["petitioners"]] == [True] * 5
    assert body["petitioners"][0]["phone"] == "139****0001"
    assert Petitioner.objects.filter(petition_id=body["id"], is_representative=True).count() == 5


def test_a_sixth_representative_is_refused_with_the_reason_and_nothing_saved(db, api_as):
    before = Case.objects.count(), Petition.objects.count(), CaseEvent.objects.count()
    response = register(api_as("petition_clerk"), petitioners=[], representatives=representatives(6),
                        group_size=40)
    assert response.status_code == 400
    message = response.json()["representatives"][0]
    assert "代表人数不超过5人" in message and "第二十条" in message and "6名代表" in message
    assert (Case.objects.count(), Petition.objects.count(), CaseEvent.objects.count()) == before


@pytest.mark.parametrize("overrides, field, words", [
    ({"representatives": representatives(1)}, "representatives", "多人信访"),
    ({"group_size": 3, "representatives": []}, "representatives", "推选代表"),
    ({"petitioners": [person(), person(name="李四", id_number="")]}, "group_size", "信访人数为1"),
    ({"received_on": "2026-11-17"}, "received_on", "不能晚于今天"),
    ({"received_on": "2025-11-01"}, "received_on", "一年前"),
    ({"addressed_to": " "}, "addressed_to", ""),
    ({"channel": "police_referral"}, "channel", ""),
    ({"petitioners": [person(id_number="110105194912310021")]}, "petitioners", "校验位"),
    ({"petitioners": [person(phone="", address="")]}, "petitioners", "电话或通信地址"),
])
def test_bad_input_is_refused_in_chinese_with_nothing_saved(db, api_as, overrides, field, words):
    before = Case.objects.count()
    response = register(api_as("petition_clerk"), **overrides)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert words in str(response.json()[field]), response.json()
    assert Case.objects.count() == before


def test_a_petition_runs_the_laws_periods_not_the_tier_clock(db, api_as):
    """A petition must not climb village -> town -> county by the tier rules: its
    matter's tier clock is stopped at registration and never restarted by its steps."""
    result = register_letter(date(2026, 9, 28))
    case = result.case
    assert not Clock.objects.filter(case=case, kind="tier", stopped_at__isnull=True).exists()
    assert Clock.objects.get(case=case, kind="tier").outcome == "cancelled"
    assert list(Clock.objects.filter(case=case, stopped_at__isnull=True).values_list("kind", flat=True)) == [
        "petitions.forward"]
    sweep_at(at(2027, 3, 1))  # far past any tier limit
    assert not CaseEvent.objects.filter(case=case, type="escalated").exists()
    assert Case.objects.get(pk=case.pk).tier == "county"


def test_a_body_registering_a_petition_itself_decides_on_acceptance(db, api_as):
    """Registered by a town center (not a petition office): no forward step; the
    body tells the petitioner within 15 days of receipt whether it accepts (art. 23)."""
    with on_day(date(2026, 9, 28)):
        response = api_as("town_clerk").post("/api/v1/petitions/", payload(
            received_on="2026-09-25", channel="letter"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["forward_due"] is None
    # Received Fri 25 Sep (a holiday): day 15 is Sat 10 Oct, a make-up working day.
    assert body["acceptance_due"]["date"] == "2026-10-10"
    with on_day(date(2026, 9, 28)):
        forward = api_as("town_clerk").post(f"/api/v1/petitions/{body['id']}/forward/", {
            "to": org("县人社局").pk, "forwarded_on": "2026-09-28"}, format="json")
    assert forward.status_code == 409 and "信访部门" in forward.json()["detail"]


def test_a_petition_registered_at_the_general_desk_gets_its_record(db, client, staff):
    from tests.factories import CaseFactory

    with on_day(date(2026, 10, 12)):
        case = CaseFactory(kind="petition", channel="walk_in", holder=staff("petition_clerk").organisation,
                           actor=staff("petition_clerk"))
        client.force_login(staff("petition_clerk"))
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "建立信访办理记录" in page
        response = client.post(f"/petitions/open/{case.pk}/", {"received_on": "2026-10-10", "group_size": 1,
                                                              "addressed_to": "县人民政府"})
    assert response.status_code == 302
    petition = Petition.objects.get(pk=case.pk)
    assert petition.office is not None and petition.petitioners.count() == 1
    # 10 Oct + 15 = Sun 25 Oct, a rest day: Mon 26 Oct.
    forward = Clock.objects.get(case=case, kind="petitions.forward")
    assert timezone.localtime(forward.due_at - timedelta(seconds=1)).date() == date(2026, 10, 26)
    assert not Clock.objects.filter(case=case, kind="tier", stopped_at__isnull=True).exists()
