"""404, 403, 400 and 500 are Chinese pages in the site's layout, not Django's bare English ones."""
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CaseFactory

LAYOUT = 'class="navbar'  # base.html's menu bar


@pytest.fixture(autouse=True)
def production_errors(settings):
    settings.DEBUG = False


def test_404_is_chinese_in_the_layout(demo, client, staff):
    client.force_login(staff("clerk"))
    for path in ["/no-such-page/", "/cases/999999999/"]:
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == 404 and LAYOUT in page and 'id="error-page"' in page
        assert "找不到页面" in page and "Not Found" not in page


def test_403_says_why_in_chinese(demo, client, staff):
    client.force_login(staff("gridworker"))
    response = client.get(reverse("supervision"))  # needs supervise_case
    page = response.content.decode()
    assert response.status_code == 403 and LAYOUT in page and "无权" in page and "Forbidden" not in page
    # A refusal with a reason: seen, but held by another organisation.
    case = CaseFactory()  # in 青山村, held by its work station: the town's clerk sees it
    client.force_login(staff("town_clerk"))
    response = client.post(reverse("case-change-status", args=[case.pk]), {"action": "accept"})
    page = response.content.decode()
    assert response.status_code == 403 and 'id="error-reason"' in page and "不由您所在单位承办" in page and LAYOUT in page


def test_a_stale_form_is_a_chinese_page(demo, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff("clerk"))
    response = client.post(reverse("intake-desk"), {})
    page = response.content.decode()
    assert response.status_code == 403 and "页面已过期" in page and LAYOUT in page and "CSRF verification" not in page


def test_500_is_chinese_in_the_layout(demo, staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff("clerk"))
    with mock.patch("governance.dashboards.views.dashboard.home_summary", side_effect=RuntimeError("boom")):
        response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 500 and LAYOUT in page and "出错了" in page
    assert "Server Error" not in page and "boom" not in page


def test_400_is_chinese_in_the_layout(demo, client, settings):
    response = client.get("/", HTTP_HOST="evil.example")  # DisallowedHost
    page = response.content.decode()
    assert response.status_code == 400 and "无法处理" in page and LAYOUT in page
