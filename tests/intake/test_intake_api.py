"""POST /api/v1/cases/ (the hotline system's door) and the triage endpoints."""
from governance.models import Case, Organisation

VILLAGE = "339901001001"


def payload(**overrides):
    body = {"kind": "dispute", "channel": "hotline", "category": "neighbourhood", "region": VILLAGE,
            "narrative": "楼上漏水，物业不管",
            "parties": [{"role": "applicant", "name": "张三", "id_number": "11010519491231002X",
                         "phone": "13812345678"}]}
    body.update(overrides)
    return body


def test_registering_through_the_api_dispatches_to_the_village_center(demo, api_as):
    response = api_as("clerk").post("/api/v1/cases/", payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    village = Organisation.objects.get(region__code=VILLAGE, kind="center")
    assert (body["holder"]["id"], body["tier"], body["status"]) == (village.pk, "village", "in_progress")
    assert body["deadline"] and body["number"]
    case = Case.objects.get(number=body["number"])
    assert case.parties.get().phone == "13812345678"
    assert list(case.events.values_list("type", flat=True)) == ["created", "dispatched"]


def test_the_api_says_which_field_is_wrong_in_chinese(demo, api_as):
    before = Case.objects.count()
    bad = payload(category="nonsense", region="999999999999",
                  parties=[{"role": "applicant", "name": "张三", "id_number": "110105194912310021", "phone": "123"}])
    response = api_as("clerk").post("/api/v1/cases/", bad, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"category", "region", "parties"}
    assert "未知的类别代码" in errors["category"][0] and "999999999999" in errors["region"][0]
    first_party = errors["parties"]["0"]  # DRF keys a list's errors by position
    assert "校验位" in first_party["id_number"][0] and "电话号码" in first_party["phone"][0]
    assert Case.objects.count() == before


def test_an_applicant_with_a_phone_is_required(demo, api_as):
    response = api_as("clerk").post("/api/v1/cases/", payload(parties=[{"role": "respondent", "name": "李四"}]),
                                    format="json")
    assert response.status_code == 400 and "parties" in response.json()


def test_anonymous_cannot_register(demo, api_client):
    assert api_client.post("/api/v1/cases/", payload(), format="json").status_code == 401


def test_triage_endpoints(demo, api_as, staff):
    api = api_as("clerk")
    # a walk-in registered at the county window, then triaged through the API
    from tests.intake.test_intake_services import register

    case = register(staff("clerk"))
    village = Organisation.objects.get(region__code=VILLAGE, kind="center")
    response = api.post(f"/api/v1/cases/{case.pk}/dispatch/", {"to": village.pk, "note": "请调处"}, format="json")
    assert response.status_code == 200 and response.json()["tier"] == "village"
    assert api.post(f"/api/v1/cases/{case.pk}/dispatch/", {"to": village.pk}).status_code == 403  # not ours now

    second = register(staff("clerk"))
    assert api.post(f"/api/v1/cases/{second.pk}/resolve-on-spot/", {"note": ""}).status_code == 400
    assert api.post(f"/api/v1/cases/{second.pk}/resolve-on-spot/", {"note": "当场化解"}).json()["status"] == "resolved"
    assert api.post(f"/api/v1/cases/{second.pk}/resolve-on-spot/", {"note": "again"}).status_code == 409

    third = register(staff("clerk"))
    members = list(Organisation.objects.exclude(kind="center").filter(region__code="339901000000")
                   .values_list("pk", flat=True)[:2])
    response = api.post(f"/api/v1/cases/{third.pk}/joint-mediation/", {"organisations": members}, format="json")
    assert response.status_code == 200
    assert api.post(f"/api/v1/cases/{third.pk}/leader-ownership/", {"leader": "leader"}).status_code == 200
    assert api.post(f"/api/v1/cases/{third.pk}/leader-ownership/", {"leader": "mediator"}).status_code == 409
    visit = api.post(f"/api/v1/cases/{third.pk}/repeat-visit/", {"channel": "police_referral"})
    assert visit.status_code == 200 and visit.json()["visit_count"] == 2


def test_only_registering_roles_and_only_in_their_county(demo, api_as):
    before = Case.objects.count()
    refused = api_as("gridworker").post("/api/v1/cases/", payload(), format="json")
    assert refused.status_code == 403 and "登记" in refused.json()["detail"]
    from tests.intake.test_intake_services import other_county

    other_county()
    from governance.models import Region

    Region.objects.add_child(Region.objects.get(code="339902000000"),
                             instance=Region(code="339902001001", name="邻村", level="village"))
    elsewhere = api_as("clerk").post("/api/v1/cases/", payload(region="339902001001"), format="json")
    assert elsewhere.status_code == 400 and "本县" in elsewhere.json()["region"][0]
    assert Case.objects.count() == before


def test_non_ascii_digits_in_an_id_number_are_a_chinese_400_not_a_500(demo, api_as):
    """"²" passed str.isdigit() and broke int(): 500; Arabic-Indic digits were stored as typed."""
    before = Case.objects.count()
    for typed in ["42030319²003071230", "٤٢٠٣٠٣١٩٨٠٠٣٠٧١٢٣٠"]:
        parties = [{"role": "applicant", "name": "张三", "id_number": typed, "phone": "13812345678"}]
        response = api_as("clerk").post("/api/v1/cases/", payload(parties=parties), format="json")
        assert response.status_code == 400, response.content
        assert "只能用数字 0–9" in response.json()["parties"]["0"]["id_number"][0]
    assert Case.objects.count() == before


def test_one_id_number_under_two_names_is_a_warning_at_the_api(demo, api_as):
    first = api_as("clerk").post("/api/v1/cases/", payload(), format="json")
    assert first.status_code == 201 and first.json()["warnings"] == []
    parties = [{"role": "applicant", "name": "张叁", "id_number": "11010519491231002X", "phone": "13912345678"}]
    second = api_as("clerk").post("/api/v1/cases/", payload(parties=parties), format="json")
    assert second.status_code == 201
    (warning,) = second.json()["warnings"]
    assert "110105**********2X" in warning and "张三" in warning and "张叁" in warning
    # Someone who cannot see the first matter is not told the name it was registered under.
    third = api_as("other_town_clerk").post("/api/v1/cases/", payload(region="339901002002", parties=parties),
                                           format="json")
    assert third.status_code == 201 and not any("张三" in w for w in third.json()["warnings"])


def test_an_unknown_place_code_is_a_warning_at_the_api(demo, api_as):
    from stdnum.cn import ric

    body = "33990119800307123"
    parties = [{"role": "applicant", "name": "李四", "id_number": body + ric.calc_check_digit(body + "0"),
                "phone": "13812345678"}]
    response = api_as("clerk").post("/api/v1/cases/", payload(parties=parties), format="json")
    assert response.status_code == 201 and "339901" in response.json()["warnings"][0]
