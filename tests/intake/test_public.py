"""The public channel: a citizen registers a dispute online, the abuse guard, and
the status lookup that shows the public timeline and confirms nothing else."""
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.models import Case, Category, Organisation, Region
from governance.cases.services import case_change_status, case_grant
from governance.supervision.signals import case_flag_risk
from intake.services import intake_register

VILLAGE = "339901001001"  # 青山镇 青山村
OTHER_VILLAGE = "339901002002"  # 临河镇 柳湾村
PHONE = "13812345678"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def empty_cache():
    """The limits count in a real Redis db: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides):
    data = {
        "name": "李秀英", "phone": PHONE, "id_number": "", "place_q": "",
        "category": Category.objects.get(code="neighbourhood").pk, "place": Region.objects.get(code=VILLAGE).pk,
        "address": "青山村三组12号", "narrative": "邻居长期在楼道堆放杂物，影响通行，协商多次未果。",
        "consent": "on",
    }
    data.update(overrides)
    return data


def submit(client, **overrides):
    return client.post(reverse("public-submit"), form_data(**overrides))


def village_center(code=VILLAGE):
    return Organisation.objects.get(region__code=code, kind="center")


def test_the_form_offers_active_categories_and_villages_and_grids_only(demo, client):
    Category.objects.filter(code="online").update(is_active=False)
    body = client.get(reverse("public-submit")).content.decode()
    assert "邻里" in body and ">网络<" not in body
    assert "青山镇 青山村 青山村第一网格" in body  # labelled with town and village
    assert ">青山镇</option>" not in body  # a town would route past the village center
    assert 'hx-get="/public/places/"' in body


def test_a_submission_registers_a_dispute_dispatched_to_the_village_center(demo, client):
    response = submit(client, phone="138 1234 5678", id_number="11010519491231002x")
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.kind, case.status, case.tier) == ("online", "dispute", "in_progress", "village")
    assert case.holder == village_center() and case.registered_by is None
    assert case.region.code == VILLAGE and case.address == "青山村三组12号"
    assert list(case.parties.values_list("role", "name", "phone", "id_number")) == [
        ("applicant", "李秀英", PHONE, "11010519491231002X")]
    assert list(case.events.values_list("type", flat=True)) == ["created", "dispatched"]
    assert case.intakes.get().channel == "online"

    page = client.get(response["Location"]).content.decode()
    assert case.number in page and case.holder.name in page
    assert f"{timezone.localtime(case.deadline):%Y-%m-%d}" in page
    assert f'href="/public/status/?number={case.number}"' in page


def test_the_confirmation_link_cannot_be_made_for_another_number(demo, client):
    response = client.get(reverse("public-submitted"), {"r": "2026-000001"})
    assert response.status_code == 302 and response["Location"] == reverse("public-status")


@pytest.mark.parametrize(("field", "value", "error"), [
    ("phone", "12345", "不是有效的手机号码"),
    ("phone", "057112345678", "请填写手机号码"),  # a landline: the center texts updates
    ("id_number", "110105194912310021", "身份证号码校验位不正确"),
    ("id_number", "1101051949", "身份证号码应为 18 位"),
    ("narrative", "", "请写明"),
    ("name", "  ", "请填写您的姓名"),
])
def test_bad_input_gets_an_inline_chinese_error_and_keeps_everything_typed(demo, client, field, value, error):
    chosen = Region.objects.get(code=VILLAGE)
    # The search box narrowed the list to another town: the chosen place must still be there, selected.
    response = submit(client, **{field: value, "place_q": "柳湾"})
    assert response.status_code == 200 and not Case.objects.exists()
    body = response.content.decode()
    inline = re.search(rf'id="id_{field}_error">([^<]*)<', body)
    assert inline and error in inline.group(1), body
    assert 'aria-invalid="true"' in body
    kept = form_data(**{field: value})
    for name in ("name", "phone", "id_number", "address"):
        if name != field and kept[name]:
            assert f'value="{kept[name]}"' in body
    if field != "narrative":
        assert kept["narrative"] in body
    assert re.search(rf'<option value="{kept["category"]}" selected>', body)
    assert re.search(rf'<option value="{chosen.pk}" selected>青山镇 青山村</option>', body)
    assert 'value="柳湾"' in body and "临河镇 柳湾村" in body and "石桥村" not in body


def test_the_search_button_narrows_the_places_without_registering(demo, client):
    response = client.post(reverse("public-submit"), form_data(place_q="柳湾", place="", find_place="1"))
    body = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "临河镇 柳湾村" in body and "青山镇 青山村" not in body
    assert 'value="李秀英"' in body and "aria-invalid" not in body and "alert-danger" not in body


def test_the_place_search_returns_matching_options(demo, client):
    chosen = Region.objects.get(code=OTHER_VILLAGE)
    body = client.get(reverse("public-places"), {"place_q": "柳湾", "place": chosen.pk}).content.decode()
    assert body.startswith('<option value="">')
    assert f'<option value="{chosen.pk}" selected>临河镇 柳湾村</option>' in body
    assert "柳湾村第二网格" in body and "青山" not in body and "临河镇</option>" not in body
    assert "没有找到" in client.get(reverse("public-places"), {"place_q": "不存在的村"}).content.decode()


def test_submissions_are_limited_per_address(demo, client, settings):
    settings.PUBLIC_SUBMIT_RATE_IP, settings.PUBLIC_SUBMIT_RATE_PHONE = "2/h", "100/d"
    for _ in range(3):  # mistakes do not count against the citizen
        assert submit(client, phone="12345").status_code == 200
    assert submit(client, phone="13812345671").status_code == 302
    assert submit(client, phone="13812345672").status_code == 302
    limited = submit(client, phone="13812345673", narrative="第三件事项")
    assert limited.status_code == 429 and Case.objects.count() == 2
    body = limited.content.decode()
    assert 'id="limited"' in body and "稍后再试" in body
    assert 'value="13812345673"' in body and "第三件事项" in body and 'value="李秀英"' in body
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert submit(other_address, phone="13812345673").status_code == 302


def test_submissions_are_limited_per_phone_whatever_its_spelling(demo, client, settings):
    settings.PUBLIC_SUBMIT_RATE_IP = "100/h"  # PUBLIC_SUBMIT_RATE_PHONE: the default, 3 a day
    for spelling in (PHONE, "138 1234 5678", "+86 138-1234-5678"):
        assert Client(REMOTE_ADDR="10.0.0.1").post(reverse("public-submit"), form_data(phone=spelling)).status_code == 302
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert submit(elsewhere).status_code == 429
    assert Case.objects.count() == 3
    assert submit(elsewhere, phone="13912345678").status_code == 302


def test_the_public_pages_need_the_csrf_token(demo):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("public-submit"), form_data()).status_code == 403
    assert strict.post(reverse("public-status"), {"number": "2026-000001", "phone_last4": "5678"}).status_code == 403


@pytest.fixture
def online_case(demo):
    return intake_register(
        actor=None, channel="online", kind="dispute", dispatch=True,
        category=Category.objects.get(code="neighbourhood"), region=Region.objects.get(code=VILLAGE),
        narrative="楼上漏水多次协商无果", address="青山村五组",
        parties=[{"role": "applicant", "name": "李秀英", "phone": PHONE, "id_number": "11010519491231002X"},
                 {"role": "respondent", "name": "赵大海", "phone": "13987654321"}],
    )


def lookup(client, number, last4):
    return client.post(reverse("public-status"), {"number": number, "phone_last4": last4})


def test_the_status_page_shows_the_public_timeline_only(online_case, client, staff):
    case_grant(case_id=online_case.pk, to_user=staff("mediator"), actor=staff("village_mediator"),
               note="内部：请县调委会张德明协助")
    case_flag_risk(case_id=online_case.pk, actor=staff("village_mediator"), note="申请人情绪激动，扬言报复邻居")
    case_change_status(case_id=online_case.pk, actor=staff("clerk"), action="resolve", note="双方签订调解协议")
    online_case.refresh_from_db()
    assert online_case.events.filter(is_public=False).count() == 3  # the grant, the flag and the escalation it caused

    response = lookup(client, online_case.number, "5678")
    body = response.content.decode()
    assert response.status_code == 200 and online_case.number in body
    assert "已化解" in body and online_case.holder.name in body  # status and holder (now the county center)
    assert "双方签订调解协议" in body  # a public note
    timeline = body[body.index('id="public-timeline"'):]
    assert timeline.count("<li>") == online_case.events.filter(is_public=True).count() == 3
    for secret in ("张德明", "情绪激动", "扬言报复", "极端行为", "extreme action", "周桂英", "李晓燕",  # internal notes, actors
                   "赵大海", "13987654321", PHONE, "11010519491231002X", "楼上漏水", "青山村五组"):
        assert secret not in body, secret


def test_the_status_page_prefills_the_number_from_the_receipt_link(demo, client):
    body = client.get(reverse("public-status"), {"number": "2026-000123"}).content.decode()
    assert 'name="number" value="2026-000123"' in body


def test_every_failed_lookup_gets_the_same_bytes(online_case, client):
    answers = [
        lookup(client, online_case.number, "0000"),  # wrong digits
        lookup(client, "2026-999999", "5678"),  # no such number
        lookup(client, "", "5678"),  # no number
        lookup(client, online_case.number, ""),  # no digits
        lookup(client, online_case.number, "56a8"),
    ]
    assert {answer.status_code for answer in answers} == {200}
    bodies = {CSRF.sub(b"", answer.content) for answer in answers}
    assert len(bodies) == 1
    body = bodies.pop().decode()
    assert "没有找到相符的事项" in body and online_case.number not in body
    assert online_case.number in lookup(client, online_case.number, "5678").content.decode()


def test_lookups_are_limited_per_address(online_case, client, settings):
    settings.PUBLIC_STATUS_RATE_IP = "3/h"
    for digits in ("0000", "0001", "0002"):
        assert lookup(client, online_case.number, digits).status_code == 200
    limited = lookup(client, online_case.number, "5678")  # right digits, too late
    body = limited.content.decode()
    assert limited.status_code == 429 and 'id="limited"' in body and "public-timeline" not in body
    assert client.get(reverse("public-status")).status_code == 200  # only lookups count
    other_address = Client(REMOTE_ADDR="10.9.8.7")
    assert "public-timeline" in lookup(other_address, online_case.number, "5678").content.decode()


def test_behind_the_proxy_the_limits_count_the_address_the_proxy_appended(demo, settings):
    settings.RATELIMIT_IP_META_KEY = "intake.public.ratelimit.forwarded_for_ip"
    settings.PUBLIC_STATUS_RATE_IP = "1/h"
    proxy = Client(REMOTE_ADDR="10.0.0.254")

    def look(forwarded_for):
        return proxy.post(reverse("public-status"), {"number": "2026-000001", "phone_last4": "0000"},
                          HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert look("203.0.113.7") == 200
    assert look("198.51.100.1, 203.0.113.7") == 429  # a forged first entry is not a new citizen
    assert look("203.0.113.8") == 200  # another citizen behind the same proxy


def test_staff_notes_on_public_events_stay_internal(online_case, client, staff):
    from governance.supervision.moves import case_move

    town = Organisation.objects.get(region__code="339901001000", kind="center")
    case_move(case_id=online_case.pk, actor=staff("leader"), to=town, reason="内部：当事人有过激言行，需镇级协调")
    case_change_status(case_id=online_case.pk, actor=staff("town_clerk"), action="terminate",
                       note="内部：申请人撤回，疑受对方施压")
    body = lookup(client, online_case.number, "5678").content.decode()
    assert online_case.number in body and town.name in body  # the move itself is public
    assert "过激言行" not in body and "疑受对方施压" not in body
    assert "按分流规则自动交办" in body  # the routing notice is for the citizen


def test_guessing_one_numbers_digits_from_many_addresses_is_stopped(online_case, settings):
    settings.PUBLIC_STATUS_RATE_NUMBER = "3/d"
    for guess, address in enumerate(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]):
        response = Client(REMOTE_ADDR=address).post(reverse("public-status"),
                                                     {"number": online_case.number, "phone_last4": f"{guess:04d}"})
        assert response.status_code == 200 and online_case.holder.name not in response.content.decode()
    refused = Client(REMOTE_ADDR="10.0.0.9").post(reverse("public-status"),
                                                  {"number": online_case.number, "phone_last4": "5678"})
    assert refused.status_code == 429 and online_case.holder.name not in refused.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.9").post(reverse("public-status"), {"number": "2026-999999",
                                                                           "phone_last4": "5678"})
    assert other.status_code == 200  # other numbers are not affected


def test_the_form_shows_the_notice_and_records_consent(demo, client):
    page = client.get(reverse("public-submit")).content.decode()
    assert 'id="privacy-notice"' in page and "个人信息" in page
    refused = submit(client, consent="")
    assert refused.status_code == 200 and not Case.objects.filter(channel="online").exists()
    assert "同意" in refused.content.decode() and "邻居长期在楼道堆放杂物" in refused.content.decode()  # nothing lost
    response = submit(client)
    assert response.status_code == 302
    intake = Case.objects.get(channel="online").intakes.get()
    assert intake.consent_notice == "2026-1" and intake.consented_at is not None
