"""A person at a window, in real headless Chromium: log in, search, open a matter."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import CaseFactory

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
pytestmark = pytest.mark.browser


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(exist_ok=True)
    return lambda page, name: page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo12345")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_clerk_logs_in_searches_and_opens_a_case(demo_transactional, live_server, page, shot):
    page.set_viewport_size({"width": 1366, "height": 768})
    case = CaseFactory(
        narrative="申请人反映邻居长期占用公共楼道堆放杂物，存在消防隐患，多次沟通无果。",
        parties=[{"role": "applicant", "name": "王建国", "id_number": "11010519491231002X", "phone": "13912348888"}],
    )
    CaseFactory(narrative="另一件与本次搜索无关的劳资纠纷")
    log_in(page, live_server, "town_clerk")
    shot(page, "home-town-clerk")
    page.get_by_role("link", name="事项", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/cases/")
    page.get_by_label("搜索").fill("王建国")
    # htmx swaps the table in place as the clerk types.
    rows = page.locator("#case-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(case.number)
    assert "q=" in page.url  # the search is in the address bar, so it survives a reload
    shot(page, "case-list-search")
    page.get_by_role("link", name=case.number).click()
    expect(page.locator("h1")).to_have_text(case.number)
    expect(page.locator("#timeline")).to_contain_text("登记")
    expect(page.get_by_text("110105**********2X")).to_be_visible()
    shot(page, "case-detail")


def test_holder_resolves_a_case_and_sees_it_on_the_timeline(demo_transactional, live_server, page, shot):
    case = CaseFactory()
    log_in(page, live_server, "village_mediator")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("button", name="办结").wait_for(state="detached")  # not offered while awaiting triage
    page.get_by_label("备注").fill("双方当场达成和解")
    page.get_by_role("button", name="标记已化解").click()
    expect(page.locator("#case-status")).to_have_text("已化解")
    expect(page.locator("#timeline")).to_contain_text("双方当场达成和解")


def test_phone_layout(demo_transactional, live_server, page, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    CaseFactory()
    log_in(page, live_server, "gridworker")
    page.goto(f"{live_server.url}/cases/")
    # No horizontal scrolling of the whole page on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(page, "case-list-phone")


def test_village_mediator_follows_the_bell_and_flags_a_risk(demo_transactional, live_server, page, shot):
    from governance.timers.sweep import sweep_clocks
    from governance.models import Organisation

    page.set_viewport_size({"width": 390, "height": 844})  # on a phone
    case = CaseFactory()
    from django.utils import timezone

    case.clocks.filter(kind="tier", stopped_at__isnull=True).update(remind_at=timezone.now())
    sweep_clocks()  # a reminder for the village station's desk
    log_in(page, live_server, "village_mediator")
    bell = page.locator("#inbox-bell")
    expect(bell).to_be_visible()  # not hidden in the collapsed menu
    expect(bell.locator("[data-unread]")).to_have_text("1")
    bell.click()
    shot(page, "inbox-phone")
    page.locator("#inbox form button").first.click()
    expect(page.locator("h1")).to_have_text(case.number)
    expect(page.locator("#inbox-bell [data-unread]")).to_have_count(0)  # read

    page.locator("summary", has_text="标记极端行为风险").click()
    page.get_by_label("风险情况").fill("当事人扬言报复邻居")
    page.get_by_role("button", name="标记风险").click()
    county = Organisation.objects.get(region__code="339901000000", kind="center")
    expect(page.get_by_role("alert").filter(has_text="立即上报")).to_contain_text(county.name)
    expect(page.locator("#risk-flag")).to_be_visible()
    shot(page, "risk-flagged-phone")
