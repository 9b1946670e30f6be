"""Accounts that resist guessing and end when they should."""
import time_machine
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from governance.accounts.models import ApiToken

LOGIN = "/accounts/login/"


def attempt(username, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_from_any_address(demo, settings):
    for n in range(4):
        assert attempt("clerk", f"wrong-{n}", address=f"10.0.1.{n}").status_code == 200
    assert attempt("clerk", "wrong-4", address="10.0.1.4").status_code == 429  # the fifth locks
    locked = attempt("clerk", "demo12345", address="10.0.9.9")  # the right password, another address
    assert locked.status_code == 429 and "locked-out" in locked.content.decode()
    assert attempt("leader", "demo12345", address="10.0.9.9").status_code == 302  # others are not locked


def test_five_wrong_passwords_from_one_address_lock_that_address_for_every_account(demo):
    for n, username in enumerate(["clerk", "leader", "handler", "gridworker", "town_clerk"]):
        attempt(username, f"wrong-{n}", address="10.0.2.1")
    assert attempt("village_clerk", "demo12345", address="10.0.2.1").status_code == 429
    assert attempt("village_clerk", "demo12345", address="10.0.2.2").status_code == 302


def test_an_admin_unlocks_in_the_admin(demo, client, staff):
    for n in range(5):
        attempt("clerk", f"wrong-{n}")
    assert attempt("clerk", "demo12345").status_code == 429
    client.force_login(staff("admin"))
    attempts = AccessAttempt.objects.filter(username="clerk")
    response = client.post(reverse("admin:axes_accessattempt_changelist"), {
        "action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.filter(username="clerk").exists()
    assert attempt("clerk", "demo12345").status_code == 302


def test_the_api_token_endpoint_counts_failures_too(demo, api_client):
    for n in range(4):
        assert api_client.post("/api/v1/auth/token/", {"username": "clerk", "password": f"x{n}"},
                               REMOTE_ADDR="10.0.3.1").status_code == 400
    assert api_client.post("/api/v1/auth/token/", {"username": "clerk", "password": "x4"},
                           REMOTE_ADDR="10.0.3.1").status_code == 429
    locked = api_client.post("/api/v1/auth/token/", {"username": "clerk", "password": "demo12345"},
                             REMOTE_ADDR="10.0.3.2")
    assert locked.status_code == 429 and locked["Content-Type"] == "application/json"


@pytest.mark.parametrize("password, ok", [
    ("demo12345", False),  # short, and digits with few letters
    ("password123456", False),  # common
    ("clerkclerk2026", False),  # like the username, one kind of letter
    ("abcdefghijkl", False),  # one kind of character
    ("调解中心Pass2026", True),
    ("Winter-Window-7", True),
])
def test_passwords_must_be_strong(demo, staff, password, ok):
    try:
        with translation.override("zh-hans"):
            validate_password(password, user=staff("clerk"))
    except ValidationError as error:
        assert not ok, error.messages
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in error.messages)  # Chinese
    else:
        assert ok


def test_an_idle_session_ends(demo, client, staff, settings):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(staff("clerk"))
    assert client.get(reverse("case-list")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert client.get(reverse("case-list")).status_code == 200  # active: the clock starts again
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        assert client.get(reverse("case-list")).status_code == 200  # 25 minutes after the last request
    with time_machine.travel(timezone.now() + timedelta(minutes=90)):
        response = client.get(reverse("case-list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_disabling_a_departed_clerk_ends_their_sessions_and_tokens_at_once(demo, staff):
    clerk = staff("town_clerk")
    browser = Client()
    browser.force_login(clerk)
    assert browser.get(reverse("case-list")).status_code == 200
    _token, key = ApiToken.issue(user=clerk, name="热线系统")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 200
    admin = Client()
    admin.force_login(staff("admin"))
    response = admin.post(reverse("admin:governance_user_changelist"), {
        "action": "disable_and_sign_out", "_selected_action": [clerk.pk]})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert browser.get(reverse("case-list")).status_code == 302  # signed out
    assert api.get("/api/v1/cases/").status_code == 401
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(clerk.pk)]
    assert ApiToken.objects.get(user=clerk).revoked_at is not None


def test_tokens_expire_and_can_be_revoked(demo, staff, api_client):
    response = api_client.post("/api/v1/auth/token/", {"username": "clerk", "password": "demo12345",
                                                       "name": "热线"})
    assert response.status_code == 200
    key, expires = response.json()["token"], response.json()["expires_at"]
    token = ApiToken.objects.get(user=staff("clerk"))
    assert token.digest != key and key.startswith(token.prefix)  # only the digest is kept
    assert token.expires_at - token.created_at == timedelta(days=90) and expires
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/cases/").status_code == 200
    with time_machine.travel(token.expires_at + timedelta(seconds=1)):
        expired = api_client.get("/api/v1/cases/")
        assert expired.status_code == 401 and "过期" in expired.json()["detail"]
    assert api_client.delete("/api/v1/auth/token/").status_code == 204
    revoked = api_client.get("/api/v1/cases/")
    assert revoked.status_code == 401 and "撤销" in revoked.json()["detail"]
