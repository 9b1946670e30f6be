"""The clerk types a narrative at the window: suggestion chips appear with the
deciding words, one click fills the category, and the similar-matter panel shows
the same person's earlier hotline call; then the triage page agrees."""
import pytest
from playwright.sync_api import expect

from governance.models import Case, Category, Region
from intake.triage.models import Outcome, Suggestion
from intake.triage.suggestions import forget
from tests.factories import CaseFactory
from tests.governance.test_browser import log_in, shot  # noqa: F401 - the screenshot fixture
from tests.intake.triage_data import VILLAGE, closed_history, small_settings, train

pytestmark = pytest.mark.browser


def test_clerk_types_a_narrative_clicks_a_chip_and_sees_the_earlier_hotline_call(
        demo_transactional, live_server, page, shot):  # noqa: F811
    forget()
    small_settings()
    closed_history()
    assert train().status == "ready"
    hotline = CaseFactory(channel="hotline", region=Region.objects.get(code=VILLAGE),
                          category=Category.objects.get(code="labour"),
                          narrative="来电人称在县城工地干活，包工头拖欠工资，请求帮助。",
                          parties=[{"role": "applicant", "name": "李春生", "phone": "13911112222"}])

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, "clerk")
    page.get_by_role("link", name="受理登记").click()
    page.locator("#id_applicant_name").fill("李春生")
    page.locator("#id_applicant_phone").fill("139 1111 2222")
    page.locator("#place-search").fill("青山村第一")
    expect(page.locator("#id_region option")).to_have_count(1, timeout=15000)  # a busy shared machine
    page.locator("#id_region").select_option(index=0)
    page.locator("#id_narrative").press_sequentially("包工头拖欠我们三个人的工资两个月，一共九千元，电话也不接。", delay=15)

    chips = page.locator("#triage-chips .triage-chip")
    expect(chips).to_have_count(3)
    expect(chips.first).to_contain_text("劳资")
    expect(page.locator("#triage-highlight mark").first).to_be_visible()
    expect(page.locator("#triage-holder")).to_contain_text("青山村社会治理工作站")
    labour = Category.objects.get(code="labour")
    expect(page.locator("#id_category")).to_have_value("")  # nothing filled without the clerk
    chips.first.click()
    expect(page.locator("#id_category")).to_have_value(str(labour.pk))
    expect(chips.first).to_have_attribute("aria-pressed", "true")

    panel = page.locator("#similar-matters")
    expect(panel).to_contain_text(hotline.number)
    expect(panel.locator(".similar-channel").first).to_have_text("热线")
    expect(panel).to_contain_text("同一当事人：电话 139****2222")
    shot(page, "triage-desk-chips-and-similar")

    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("h1")).to_contain_text("分类处置")
    case = Case.objects.exclude(pk=hotline.pk).get(parties__phone="13911112222")
    assert case.category == labour
    expect(page.locator("#triage-agrees")).to_be_visible()
    expect(page.locator("#similar-matters")).to_contain_text(hotline.number)
    shot(page, "triage-page-suggestion")
    desk = Suggestion.objects.get(case=case, door="desk")
    assert desk.outcome == Outcome.ACCEPTED and desk.clicked
