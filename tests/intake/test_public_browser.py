"""A citizen on a phone, in real headless Chromium: find the village, register a
dispute, follow it; and the same pages on a desktop screen. Nothing may scroll sideways."""
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from governance.models import Case, Region

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
pytestmark = pytest.mark.browser
PHONE_SCREEN = {"width": 390, "height": 844}
DESKTOP_SCREEN = {"width": 1366, "height": 768}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the rate limits count in a real Redis db
    yield
    cache.clear()


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(exist_ok=True)
    return lambda page, name: page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_a_citizen_registers_on_a_phone_and_follows_the_matter(demo_transactional, live_server, page, shot):
    page.set_viewport_size(PHONE_SCREEN)
    page.goto(f"{live_server.url}/public/")
    assert_no_sideways_scroll(page, 390)
    shot(page, "public-form-phone")

    page.get_by_label("您的姓名").fill("李秀英")
    page.get_by_label("手机号码").fill("138 1234 5678")
    page.get_by_label("事项类别").select_option(label="邻里")
    # htmx narrows the place list as the citizen types.
    page.get_by_label("查找所在村（社区）或网格").fill("柳湾")
    places = page.locator("#id_place option")
    expect(places.filter(has_text="临河镇 柳湾村")).to_have_count(4)  # the village and its three grids
    expect(places.filter(has_text="青山")).to_have_count(0)
    page.locator("#id_place").select_option(label="临河镇 柳湾村")
    page.get_by_role("button", name="提交").click()

    # The narrative was forgotten: an inline error, nothing lost.
    expect(page.locator("#id_narrative_error")).to_have_text("请写明您反映的问题。")
    expect(page.get_by_label("您的姓名")).to_have_value("李秀英")
    expect(page.locator("#id_place")).to_have_value(str(Region.objects.get(code="339901002002").pk))
    assert_no_sideways_scroll(page, 390)
    shot(page, "public-form-error-phone")

    page.get_by_label("反映的问题").fill("邻居在村道上堆放建筑垃圾，雨天积水无法通行，多次沟通无果，希望村里协调清理。")
    expect(page.locator("#privacy-notice")).to_be_visible()
    page.locator("#id_consent").check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("h1")).to_have_text("您反映的事项已受理")
    case = Case.objects.get()
    expect(page.locator("#case-number")).to_have_text(case.number)
    expect(page.get_by_text(case.holder.name)).to_be_visible()
    assert_no_sideways_scroll(page, 390)
    shot(page, "public-submitted-phone")

    page.get_by_role("link", name="查询办理进度").click()
    expect(page.get_by_label("事项编号")).to_have_value(case.number)
    page.get_by_label("手机号码后四位").fill("5678")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#case-status")).to_have_text("办理中")
    expect(page.locator("#public-timeline li")).to_have_count(2)
    assert_no_sideways_scroll(page, 390)
    shot(page, "public-status-phone")


def test_the_public_pages_on_a_desktop_screen(demo_transactional, live_server, page, shot):
    page.set_viewport_size(DESKTOP_SCREEN)
    page.goto(f"{live_server.url}/public/")
    page.get_by_label("手机号码").fill("12345")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#id_phone_error")).to_contain_text("不是有效的手机号码")
    assert_no_sideways_scroll(page, 1366)
    shot(page, "public-form-error-desktop")

    page.goto(f"{live_server.url}/public/status/")
    page.get_by_label("事项编号").fill("2026-999999")
    page.get_by_label("手机号码后四位").fill("0000")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_contain_text("没有找到相符的事项")
    assert_no_sideways_scroll(page, 1366)
    shot(page, "public-status-not-found-desktop")
