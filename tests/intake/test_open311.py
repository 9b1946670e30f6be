"""Open311 GeoReport v2: discovery, services, submitting and following matters,
filters and errors, in both formats, through the HTTP client as a 311 system would."""
import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from governance.models import Case, Category, Notification, Organisation
from governance.cases.services import case_change_status
from intake import services as intake_services
from demo.intake import DEMO_OPEN311_KEY
from intake.models import ApiKey, Intake
from intake.open311.serializers import w3c

BASE = "/open311/v2"
VILLAGE = "339901001001"
GRID = "33990100100101"
COUNTY = "339901000000"
FORMATS = ["json", "xml"]
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]


@pytest.fixture
def client():
    # As an API client: no session, and CSRF checked as a browser's would be.
    return Client(enforce_csrf_checks=True)


def village_center(code=VILLAGE):
    return Organisation.objects.get(region__code=code, kind="center")


def as_xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def as_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def tags(element):
    return [child.tag for child in element]


def submit(client, fmt="json", **fields):
    data = {
        "api_key": DEMO_OPEN311_KEY, "service_code": "neighbourhood", "attribute[region]": VILLAGE,
        "description": "楼上邻居装修噪音持续扰民，协商未果", "first_name": "小明", "last_name": "王",
        "phone": "138 1234 5678", "address_string": "青山村3组12号",
    }
    data.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def submitted(client, **fields):
    response = submit(client, **fields)
    assert response.status_code == 200, response.content.decode()
    return Case.objects.get(number=as_json(response)[0]["service_request_id"])


def errors_of(response, fmt):
    """[(code, description)] from the spec's error document, checking its element names."""
    if fmt == "json":
        return [(int(e["code"]), e["description"]) for e in as_json(response)]
    root = as_xml(response)
    assert root.tag == "errors" and set(tags(root)) == {"error"}
    assert all(tags(error) == ["code", "description"] for error in root)
    return [(int(error.findtext("code")), error.findtext("description")) for error in root]


# Discovery and services


def test_discovery_in_both_formats(demo, client):
    document = as_json(client.get(f"{BASE}/discovery.json"))
    assert set(document) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]

    root = as_xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert tags(root) == ["changeset", "contact", "key_service", "endpoints"]
    assert tags(root.find("endpoints")) == ["endpoint"]
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]
    assert tags(root.find("endpoints/endpoint/formats")) == ["format", "format"]


def test_format_from_the_query_string_or_xml_by_default(demo, client):
    assert as_json(client.get(f"{BASE}/services", {"format": "json"}))
    assert as_xml(client.get(f"{BASE}/services")).tag == "services"
    assert as_xml(client.get(f"{BASE}/")).tag == "discovery"  # the endpoint's root serves discovery
    assert errors_of(client.get(f"{BASE}/services", {"format": "yaml"}), "xml")[0][0] == 400


def test_services_are_the_active_categories(demo, client):
    Category.objects.filter(code="other").update(is_active=False)
    active = list(Category.objects.filter(is_active=True).order_by("sort_order", "code"))

    services = as_json(client.get(f"{BASE}/services.json"))
    assert [s["service_code"] for s in services] == [c.code for c in active]
    first = services[0]
    assert list(first) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    assert (first["service_name"], first["metadata"], first["type"]) == (active[0].name, True, "realtime")

    root = as_xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services" and set(tags(root)) == {"service"} and len(root) == len(active)
    assert root.find("service/service_code").text == active[0].code
    assert root.find("service/metadata").text == "true"
    assert "other" not in [s.findtext("service_code") for s in root]


def test_service_definition_requires_a_region(demo, client):
    definition = as_json(client.get(f"{BASE}/services/neighbourhood.json"))
    assert definition["service_code"] == "neighbourhood"
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert set(attributes) == {"region", "id_number", "kind"}
    region = attributes["region"]
    assert (region["variable"], region["datatype"], region["required"], region["order"]) == (True, "string", True, 1)
    assert attributes["kind"]["values"] == [{"key": "dispute", "name": attributes["kind"]["values"][0]["name"]}]
    assert not attributes["id_number"]["required"]

    root = as_xml(client.get(f"{BASE}/services/neighbourhood.xml"))
    assert root.tag == "service_definition" and tags(root) == ["service_code", "attributes"]
    attribute = root.find("attributes/attribute")
    assert tags(attribute) == ["variable", "code", "datatype", "required", "datatype_description", "order",
                               "description", "values"]
    assert (attribute.findtext("code"), attribute.findtext("required")) == ("region", "true")
    kind = [a for a in root.find("attributes") if a.findtext("code") == "kind"][0]
    assert [(v.findtext("key"), v.tag) for v in kind.find("values")] == [("dispute", "value")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_definition_is_404(demo, client, fmt):
    response = client.get(f"{BASE}/services/no-such-service.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


# Submitting


def test_submission_is_registered_and_dispatched_like_any_other_door(demo, client):
    response = submit(client, email="wang@example.com", lat="30.123456", long="120.654321",
                      **{"attribute[id_number]": "11010519491231002x"})
    assert response.status_code == 200
    (receipt,) = as_json(response)
    assert list(receipt) == ["service_request_id", "token", "service_notice", "account_id"]
    case = Case.objects.get(number=receipt["service_request_id"])
    intake = Intake.objects.get(case=case)
    assert receipt["token"] == intake.token and receipt["account_id"] is None
    assert village_center().name in receipt["service_notice"]

    # The same matter an API-style registration makes: a dispute at the village's center.
    assert (case.kind, case.channel, case.status) == ("dispute", "hotline", "in_progress")
    assert (case.holder, case.tier) == (village_center(), "village")
    assert case.deadline is not None and case.clock().remind_at < case.deadline
    assert (case.narrative, case.address) == ("楼上邻居装修噪音持续扰民，协商未果", "青山村3组12号")
    assert list(case.parties.values_list("role", "name", "phone", "id_number")) == [
        ("applicant", "王小明", "13812345678", "11010519491231002X")]
    assert intake.api_key.key == DEMO_OPEN311_KEY and intake.window is None
    assert Notification.objects.filter(case=case, organisation=village_center(), kind="dispatched").exists()
    assert list(case.events.values_list("type", "is_public")) == [
        ("created", True), ("dispatched", True), ("note", False)]
    assert case.events.get(type="note").data == {
        "open311": {"email": "wang@example.com", "lat": 30.123456, "long": 120.654321}}

    window_style = intake_services.intake_register(
        actor=None, channel="hotline", kind="dispute", category=case.category, region=case.region,
        narrative="对照", parties=[{"name": "对照", "phone": "13812345678"}], dispatch=True)
    assert (window_style.holder, window_style.tier, window_style.status) == (case.holder, case.tier, case.status)
    assert abs(window_style.deadline - case.deadline) < timedelta(minutes=1)


def test_submission_answers_in_xml_and_a_grid_goes_to_its_village(demo, client):
    response = submit(client, "xml", **{"attribute[region]": GRID})
    assert response.status_code == 200
    root = as_xml(response)
    assert root.tag == "service_requests" and tags(root) == ["request"]
    assert tags(root[0]) == ["service_request_id", "token", "service_notice", "account_id"]
    assert root[0].find("account_id").text is None
    case = Case.objects.get(number=root[0].findtext("service_request_id"))
    assert (case.region.code, case.holder, case.tier) == (GRID, village_center(), "village")
    assert Intake.objects.get(case=case).token == root[0].findtext("token")


def test_submission_needs_no_csrf_token_or_login(demo, client):
    # The client fixture checks CSRF like a browser; an Open311 client sends no cookie.
    assert submit(client).status_code == 200


# Following a matter


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request_shows_its_public_view_only(demo, client, fmt):
    case = submitted(client, lat="30.5", long="120.25")
    response = client.get(f"{BASE}/requests/{case.number}.{fmt}", {"api_key": DEMO_OPEN311_KEY})
    assert response.status_code == 200
    assert "13812345678".encode() not in response.content and "王小明".encode() not in response.content
    if fmt == "json":
        (request,) = as_json(response)
        assert list(request) == REQUEST_FIELDS
    else:
        root = as_xml(response)
        assert root.tag == "service_requests" and tags(root) == ["request"] and tags(root[0]) == REQUEST_FIELDS
        request = {child.tag: child.text for child in root[0]}
    case.refresh_from_db()
    dispatched = case.events.get(type="dispatched").note
    expected = {
        "service_request_id": case.number, "status": "open", "status_notes": dispatched,
        "service_name": case.category.name, "service_code": "neighbourhood", "description": case.narrative,
        "agency_responsible": village_center().name, "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at), "expected_datetime": w3c(case.deadline),
        "address": "青山村3组12号", "address_id": VILLAGE,
    }
    assert {key: request[key] for key in expected} == expected
    assert request["requested_datetime"].endswith("+08:00")
    assert (str(request["lat"]), str(request["long"])) == ("30.5", "120.25")
    assert request["zipcode"] is None


def test_status_closes_and_notes_follow_the_public_timeline(demo, client, staff):
    case = submitted(client)
    case_change_status(case_id=case.pk, actor=staff("village_mediator"), action="resolve", note="双方达成和解")
    (request,) = as_json(client.get(f"{BASE}/requests/{case.number}.json"))
    assert (request["status"], request["status_notes"]) == ("closed", "双方达成和解")
    assert request["lat"] is None and request["long"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_gives_the_request_id(demo, client, fmt):
    case = submitted(client)
    token = Intake.objects.get(case=case).token
    response = client.get(f"{BASE}/tokens/{token}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert as_json(response) == [{"service_request_id": case.number, "token": token}]
    else:
        root = as_xml(response)
        assert root.tag == "service_requests" and tags(root[0]) == ["service_request_id", "token"]
        assert root[0].findtext("service_request_id") == case.number
    missing = client.get(f"{BASE}/tokens/0000.{fmt}")
    assert missing.status_code == 404 and errors_of(missing, fmt)[0][0] == 404


# Listing and filters


def numbers(response):
    return [request["service_request_id"] for request in as_json(response)]


def test_list_shows_only_open311_matters_newest_first(demo, client, staff):
    first = submitted(client)
    second = submitted(client, service_code="labour")
    window = intake_services.intake_register(
        actor=staff("clerk"), channel="walk_in", kind="dispute", category=first.category, region=first.region,
        narrative="窗口登记", parties=[{"name": "李四", "phone": "13912345678"}])
    listed = numbers(client.get(f"{BASE}/requests.json"))
    assert listed == [second.number, first.number]
    root = as_xml(client.get(f"{BASE}/requests.xml"))
    assert [r.findtext("service_request_id") for r in root] == listed
    # Other doors' matters stay private however they are asked for.
    assert numbers(client.get(f"{BASE}/requests.json", {"service_request_id": window.number})) == []
    missing = client.get(f"{BASE}/requests/{window.number}.json")
    assert missing.status_code == 404


def test_filters_by_id_service_status_and_dates(demo, client, staff):
    neighbours = submitted(client)
    labour = submitted(client, service_code="labour")
    case_change_status(case_id=labour.pk, actor=staff("village_mediator"), action="resolve", note="已支付工资")

    def listed(**query):
        return numbers(client.get(f"{BASE}/requests.json", query))

    assert listed(service_code="labour") == [labour.number]
    assert listed(service_code="labour,neighbourhood") == [labour.number, neighbours.number]
    assert listed(status="open") == [neighbours.number]
    assert listed(status="closed") == [labour.number]
    assert listed(status="open,closed") == [labour.number, neighbours.number]
    # IDs override every other filter.
    assert listed(service_request_id=f"{neighbours.number}, {labour.number}", status="closed",
                  end_date="2020-01-01T00:00:00Z") == [labour.number, neighbours.number]
    yesterday = timezone.localtime() - timedelta(days=1)
    assert listed(start_date=yesterday.isoformat(timespec="seconds")) == [labour.number, neighbours.number]
    # "+08:00" sent unencoded arrives as " 08:00"
    assert listed(start_date=yesterday.strftime("%Y-%m-%dT%H:%M:%S 08:00")) == [labour.number, neighbours.number]
    assert listed(end_date=(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")) == []
    assert listed(start_date="2020-01-01T00:00:00Z") == []  # 90 days from then


def test_listing_costs_the_same_queries_for_one_or_many(demo, client, django_assert_num_queries):
    for _ in range(3):
        submitted(client, lat="30.1", long="120.2")
    # the matters (with the latest public note in a subquery), then their Open311 notes
    with django_assert_num_queries(2):
        assert len(numbers(client.get(f"{BASE}/requests.json"))) == 3


def test_the_default_window_is_90_days(demo, client):
    case = submitted(client)
    assert numbers(client.get(f"{BASE}/requests.json")) == [case.number]
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert numbers(client.get(f"{BASE}/requests.json")) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", [
    {"status": "pending"},
    {"start_date": "yesterday"},
    {"start_date": "2026-13-01T00:00:00Z"},
    {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
    {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
])
def test_bad_filters_are_400(demo, client, fmt, query):
    response = client.get(f"{BASE}/requests.{fmt}", query)
    assert response.status_code == 400
    (error,) = errors_of(response, fmt)
    assert error[0] == 400 and error[1]


# Errors


def test_an_inactive_key_is_refused(demo, client):
    ApiKey.objects.filter(key=DEMO_OPEN311_KEY).update(is_active=False)
    assert submit(client).status_code == 403


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("fields", "status", "mentions"), [
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "not-a-key"}, 403, "api_key"),
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "no-such-service"}, 404, "no-such-service"),
    ({"attribute[region]": None}, 400, "attribute[region]"),
    ({"attribute[region]": "339901999999"}, 400, "339901999999"),
    ({"attribute[region]": COUNTY}, 400, COUNTY),  # the county is not a place to send a dispute to
    ({"phone": "12345"}, 400, "phone"),
    ({"address_string": None}, 400, "address_id"),  # no location at all
    ({"address_string": None, "lat": "30.1"}, 400, "long"),
    ({"attribute[id_number]": "110105194912310021"}, 400, "attribute[id_number]"),
    ({"attribute[kind]": "petition"}, 400, "attribute[kind]"),
    ({"lat": "30.1"}, 400, "long"),
    ({"lat": "95", "long": "120"}, 400, "lat"),
    ({"email": "not-an-email"}, 400, "email"),
])
def test_refused_submissions_say_why_and_register_nothing(demo, client, fmt, fields, status, mentions):
    before = Case.objects.count()
    response = submit(client, fmt, **fields)
    assert response.status_code == status
    (error,) = errors_of(response, fmt)
    assert error[0] == status and mentions in error[1]
    assert Case.objects.count() == before


def test_several_problems_are_reported_together(demo, client):
    response = submit(client, **{"attribute[region]": None, "phone": "12345", "email": "x"})
    assert response.status_code == 400
    assert len(errors_of(response, "json")) == 3


def test_descriptions_are_chinese_by_default(demo, client):
    for response in (submit(client, phone="12345"), submit(client, **{"attribute[region]": None}),
                     submit(client, api_key="wrong")):
        (error,) = errors_of(response, "json")
        message = re.sub(r"^[^:：]*[)）][:：]", "", error[1])  # after "label (parameter):", if any
        assert re.search("[\u4e00-\u9fff]", message) and not re.search("[A-Za-z]{4,}", message), error


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_request_and_resource_are_404(demo, client, fmt):
    response = client.get(f"{BASE}/requests/2026-999999.{fmt}")
    assert response.status_code == 404 and errors_of(response, fmt)[0][0] == 404
    response = client.get(f"{BASE}/nothing/here.{fmt}")
    assert response.status_code == 404 and errors_of(response, fmt)[0][0] == 404


def test_wrong_method_is_405_in_the_error_format(demo, client):
    response = client.delete(f"{BASE}/services.xml")
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert errors_of(response, "xml")[0][0] == 405


def test_no_center_for_the_place_is_a_clear_400(demo, client):
    Organisation.objects.filter(kind="center").update(is_active=False)
    before = Case.objects.count()
    response = submit(client)
    assert response.status_code == 400
    (error,) = errors_of(response, "json")
    assert error[0] == 400 and error[1]
    assert Case.objects.count() == before


def test_the_channel_is_the_clients(demo, client):
    ApiKey.objects.create(name="市民App", key="city-app-key", channel="online")
    response = client.post("/open311/v2/requests.json", {
        "api_key": "city-app-key", "service_code": "neighbourhood", "attribute[region]": "339901001001",
        "description": "楼上噪音", "first_name": "明", "last_name": "王", "phone": "13812345678",
        "address_string": "青山村3组"})
    assert response.status_code == 200, response.content
    assert Case.objects.get(number=response.json()[0]["service_request_id"]).channel == "online"
    # the demo key is the county's 12345 hotline
    assert Case.objects.get(number=as_json(submit(client))[0]["service_request_id"]).channel == "hotline"


def test_region_and_category_codes_are_public(demo, client):
    assert client.get("/api/v1/regions/?level=village").status_code == 200
    assert client.get("/api/v1/categories/").status_code == 200


def test_one_client_is_rate_limited_per_key(demo, client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.OPEN311_SUBMIT_RATE_KEY = "2/h"
    assert submit(client).status_code == 200
    assert submit(client).status_code == 200
    before = Case.objects.count()
    refused = submit(client)
    assert refused.status_code == 429
    assert refused.json()[0]["code"] == 429 and "api_key" in refused.json()[0]["description"]
    assert Case.objects.count() == before
    cache.clear()


def test_status_notes_never_carry_staff_notes(demo, client):
    from governance.models import User
    from governance.supervision.moves import case_move

    case = submitted(client)
    town = Organisation.objects.get(region__code="339901001000", kind="center")
    case_move(case_id=case.pk, actor=User.objects.get(username="leader"), to=town, reason="内部：涉稳风险")
    (row,) = as_json(client.get(f"{BASE}/requests/{case.number}.json"))
    assert row["agency_responsible"] == town.name
    assert "涉稳" not in (row["status_notes"] or "")
    case_change_status(case_id=case.pk, actor=User.objects.get(username="town_clerk"), action="resolve",
                       note="双方达成调解协议")
    (row,) = as_json(client.get(f"{BASE}/requests/{case.number}.json"))
    assert row["status_notes"] == "双方达成调解协议"


def test_the_public_code_lists_are_throttled_for_anonymous_callers(demo, client):
    from django.core.cache import cache
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/min"}
    try:
        assert [client.get("/api/v1/categories/").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
        cache.clear()


@pytest.mark.parametrize("fmt", FORMATS)
def test_non_ascii_digits_in_an_id_number_are_a_400_in_the_spec_format(demo, client, fmt):
    before = Case.objects.count()
    for typed in ["42030319²003071230", "٤٢٠٣٠٣١٩٨٠٠٣٠٧١٢٣٠"]:
        response = submit(client, fmt, **{"attribute[id_number]": typed})
        assert response.status_code == 400
        assert "只能用数字 0–9" in response.content.decode()
    assert Case.objects.count() == before


# GeoReport v2, as the third-party georeport client sends it


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_anonymous_report_is_accepted_and_marked_anonymous(demo, client, fmt):
    """first_name, last_name, email, phone and description are optional in the spec:
    a hotline forwards anonymous reports."""
    response = submit(client, fmt, first_name=None, last_name=None, phone=None, description=None)
    assert response.status_code == 200, response.content.decode()
    case = Case.objects.latest("id")
    assert case.is_anonymous and not case.parties.exists() and case.narrative == ""
    assert (case.holder, case.status) == (village_center(), "in_progress")
    (request,) = as_json(client.get(f"{BASE}/requests/{case.number}.json"))
    assert request["description"] is None


def test_a_report_with_a_phone_and_no_name_keeps_the_phone(demo, client):
    case = submitted(client, first_name=None, last_name=None)
    assert not case.is_anonymous
    assert list(case.parties.values_list("name", "phone")) == [("（未留姓名）", "13812345678")]
    assert not submitted(client).is_anonymous


@pytest.mark.parametrize("location", [{"lat": "30.5", "long": "120.25"}, {"address_string": "青山村3组"},
                                      {"address_id": VILLAGE}])
def test_any_one_location_of_the_spec_will_do(demo, client, location):
    assert submit(client, **{"address_string": None, **location}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_without_a_location_is_refused(demo, client, fmt):
    before = Case.objects.count()
    response = submit(client, fmt, address_string=None)
    assert response.status_code == 400
    (error,) = errors_of(response, fmt)
    assert "位置" in error[1] and "address_string" in error[1]
    assert Case.objects.count() == before


def test_address_id_stands_for_the_region_attribute(demo, client):
    """A generic client knows address_id (our place codes, as GET answers them), not our attribute."""
    case = submitted(client, **{"attribute[region]": None, "address_id": GRID})
    assert case.region.code == GRID
    response = submit(client, **{"attribute[region]": None, "address_id": "339901999999"})
    assert response.status_code == 400 and "339901999999" in errors_of(response, "json")[0][1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_media_url_is_kept_and_returned(demo, client, fmt):
    case = submitted(client, media_url="https://photos.example.org/leak.jpg")
    response = client.get(f"{BASE}/requests/{case.number}.{fmt}", {"api_key": DEMO_OPEN311_KEY})
    if fmt == "json":
        (request,) = as_json(response)
    else:
        request = {child.tag: child.text for child in as_xml(response)[0]}
    assert request["media_url"] == "https://photos.example.org/leak.jpg"
    (listed,) = [r for r in as_json(client.get(f"{BASE}/requests.json", {"api_key": DEMO_OPEN311_KEY})) if r["service_request_id"] == case.number]
    assert listed["media_url"] == "https://photos.example.org/leak.jpg"


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_the_submitting_key_only_status_fields_are_listed(demo, client, fmt):
    """Narratives name people: GET requests without a key (or with another channel's
    key) lists the status, never the description, the address or the location."""
    from intake.models import ApiKey

    case = submitted(client, lat="30.5", long="120.25")
    other = ApiKey.objects.create(name="另一个渠道")
    for query in ({}, {"api_key": other.key}):
        for url in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{case.number}.{fmt}"):
            response = client.get(url, query)
            assert response.status_code == 200, response.content
            body = response.content.decode()
            assert case.number in body and "邻居装修噪音" not in body and "青山村3组12号" not in body
            assert "30.5" not in body
            if fmt == "json":
                request = next(r for r in as_json(response) if r["service_request_id"] == case.number)
                assert request["status"] == "open" and request["description"] is None
                assert request["address"] is None and request["lat"] is None
    own = client.get(f"{BASE}/requests.{fmt}", {"api_key": DEMO_OPEN311_KEY}).content.decode()
    assert "邻居装修噪音" in own and "青山村3组12号" in own
    refused = client.get(f"{BASE}/requests.{fmt}", {"api_key": "not-a-key"})
    assert refused.status_code == 403
