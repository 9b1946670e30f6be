"""The mediation pages through Django's test client: the panel on the matter's page,
opening with the suggestion shown, the steps on the mediation's page (a refusal
comes back with what was typed), the desk, the week views, the public status page."""
from datetime import timedelta

import pytest
from django.urls import reverse

from mediation.models import Mediation
from tests.mediation.conftest import NOW, accepted, book, village_dispute

pytestmark = pytest.mark.usefixtures("clock")


def page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def step(client, mediation, name, data):
    return client.post(reverse("mediation-step", args=[mediation.pk, name]),
                       {f"{name}-{key}": value for key, value in data.items()})


def test_the_matter_page_offers_to_open_a_mediation(case, staff, client):
    client.force_login(staff("village_mediator"))
    html = page(client, reverse("case-detail", args=[case.pk]))
    assert 'id="mediation-panel"' in html and reverse("mediation-open", args=[case.pk]) in html
    client.force_login(staff("gridworker"))
    assert reverse("mediation-open", args=[case.pk]) not in page(client, reverse("case-detail", args=[case.pk]))


def test_opening_shows_the_suggestion_and_keeps_what_was_typed(case, staff, client):
    client.force_login(staff("village_mediator"))
    url = reverse("mediation-open", args=[case.pk])
    html = page(client, url)
    assert "推荐的主调解员" in html and "专长：邻里" in html and "当前主持在办调解0件" in html
    refused = client.post(url, {"note": "请尽快调解"})
    assert refused.status_code == 400 and "请尽快调解" in refused.content.decode()
    assert "该字段是必填项" in refused.content.decode()
    opened = client.post(url, {"lead": staff("village_mediator").pk, "note": "请尽快调解"})
    mediation = Mediation.objects.get(case=case)
    assert opened.status_code == 302 and opened["Location"] == reverse("mediation-detail", args=[mediation.pk])
    assert "专长：邻里" in mediation.suggestion


def test_a_joint_mediation_without_its_team_is_refused_on_the_page(case, staff, client):
    client.force_login(staff("village_mediator"))
    response = client.post(reverse("mediation-open", args=[case.pk]), {
        "lead": staff("village_mediator").pk, "is_joint": "on", "coordinator": staff("clerk").pk})
    assert response.status_code == 400
    assert "尚缺" in response.content.decode() and not Mediation.objects.exists()


def test_the_steps_on_the_page_and_a_taken_slot(case, staff, client, village_room, clock):
    vm = staff("village_mediator")
    client.force_login(vm)
    mediation = Mediation.objects.get(pk=client.post(
        reverse("mediation-open", args=[case.pk]), {"lead": vm.pk})["Location"].split("/")[-2])
    html = page(client, reverse("mediation-detail", args=[mediation.pk]))
    assert 'id="step-accept"' in html and 'id="step-book"' not in html
    assert step(client, mediation, "accept", {}).status_code == 302
    html = page(client, reverse("mediation-detail", args=[mediation.pk]))
    assert 'id="step-book"' in html and 'id="step-succeed"' not in html

    slot = {"day": "2026-12-01", "starts": "10:00", "ends": "11:00", "room": village_room.pk,
            "participants": [vm.pk]}
    assert step(client, mediation, "book", slot).status_code == 302
    other = accepted(village_dispute(), vm)
    taken = step(client, other, "book", {**slot, "starts": "10:30", "ends": "11:30", "participants": [
        staff("clerk").pk]})
    body = taken.content.decode()
    assert taken.status_code == 409
    assert "该时段已被占用" in body and "调解室“青山村工作站 · 调解室”" in body and case.number in body
    assert 'value="10:30"' in body and 'value="11:30"' in body  # what was typed is kept
    bad = step(client, other, "book", {**slot, "starts": "11:00", "ends": "10:00"})
    assert bad.status_code == 400 and "结束时间须晚于开始时间" in bad.content.decode()

    session = mediation.sessions.get()
    clock.move_to(NOW + timedelta(hours=1, minutes=30))
    minutes = client.post(reverse("mediation-session-action", args=[session.pk, "minutes"]), {
        f"minutes-{session.pk}-attendees": "王建国、李四", f"minutes-{session.pk}-statements": "双方陈述",
        f"minutes-{session.pk}-agreed": "赔偿"})
    assert minutes.status_code == 302
    no_terms = step(client, mediation, "succeed", {"facts": "装修噪音", "terms": ""})
    assert no_terms.status_code == 400 and "装修噪音" in no_terms.content.decode()
    assert step(client, mediation, "succeed", {"facts": "装修噪音", "terms": "赔偿2000元"}).status_code == 302
    assert step(client, mediation, "agreement-sign", {"signed_on": "2026-12-01"}).status_code == 302
    html = page(client, reverse("mediation-detail", args=[mediation.pk]))
    assert "2026-12-31" in html and 'id="step-confirmation-apply"' in html and "打印（A4）" in html
    assert step(client, mediation, "follow-up", {"method": "phone", "performance": "fully",
                                                 "satisfaction": "5"}).status_code == 302
    mediation.refresh_from_db()
    assert mediation.status == "closed" and mediation.case.status == "closed"


def test_a_step_refused_in_the_wrong_state_says_why(case, staff, client):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    client.force_login(vm)
    response = step(client, mediation, "accept", {})
    assert response.status_code == 409 and "不能进行此操作" in response.content.decode()
    client.force_login(staff("gridworker"))
    assert step(client, mediation, "terminate", {"reason": "x"}).status_code == 403
    client.force_login(staff("other_town_clerk"))
    assert step(client, mediation, "terminate", {"reason": "x"}).status_code == 404
    assert client.get(reverse("mediation-detail", args=[mediation.pk])).status_code == 404


def test_the_desk_and_the_week_views(case, staff, client, village_room):
    vm = staff("village_mediator")
    mediation = accepted(case, vm)
    book(mediation, vm, NOW + timedelta(hours=1), room=village_room)
    waiting = accepted(village_dispute(), vm)
    client.force_login(vm)
    html = page(client, reverse("mediation-desk"), HTTP_USER_AGENT="Mobile")
    assert "我的调解" in html and "本周调解会" in html and case.number in html and "10:00" in html
    assert waiting.case.number in html
    room_week = page(client, reverse("mediation-room-week", args=[village_room.pk]) + "?week=2026-W49")
    assert "10:00–11:00" in room_week and case.number in room_week
    person_week = page(client, reverse("mediation-person-week", args=[vm.pk]) + "?week=2026-12-01")
    assert "10:00–11:00" in person_week and "青山村工作站 · 调解室" in person_week
    assert "10:00" not in page(client, reverse("mediation-room-week", args=[village_room.pk]) + "?week=2026-W50")
    assert "第一调解室" in page(client, reverse("mediation-schedules"))
    client.logout()
    assert client.get(reverse("mediation-desk")).status_code == 302  # to the login page


def test_a_busy_slot_of_a_matter_one_cannot_see_shows_only_as_busy(case, staff, client, county_room):
    other = village_dispute()
    mediation = accepted(other, staff("village_mediator"))
    book(mediation, staff("village_mediator"), NOW + timedelta(hours=2), room=county_room)
    client.force_login(staff("other_town_clerk"))
    html = page(client, reverse("mediation-room-week", args=[county_room.pk]) + "?week=2026-W49")
    assert "已占用" in html and other.number not in html


def test_the_parties_see_the_session_time_on_the_public_status_page(case, staff, client, village_room):
    vm = staff("village_mediator")
    book(accepted(case, vm), vm, NOW + timedelta(hours=1), room=village_room)
    response = client.post(reverse("public-status"), {"number": case.number, "phone_last4": "8888"})
    html = response.content.decode()
    assert "调解会定于2026-12-01 10:00–11:00在青山村工作站 · 调解室举行" in html
    assert "已受理该纠纷的调解" in html
    assert "主调解员" not in html  # the internal "opened" note stays internal
