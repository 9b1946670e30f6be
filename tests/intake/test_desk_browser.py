"""A window clerk's whole registration in real headless Chromium: a bad ID number
comes back inline with everything else kept, the fix registers, the matter is
dispatched to its village, the receipt prints, and the list shows it."""
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Case
from tests.governance.test_browser import log_in, shot  # noqa: F401 - the screenshot fixture

pytestmark = pytest.mark.browser


def test_clerk_registers_a_walk_in_dispute_with_a_typo_then_prints_the_receipt(
        demo_transactional, live_server, page, shot):  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, "clerk")
    page.get_by_role("link", name="受理登记").click()
    expect(page.locator("#my-window")).to_contain_text("1号窗口")

    page.locator("#id_applicant_name").fill("王建国")
    page.locator("#id_applicant_id_number").fill("110105194912310021")  # last character wrong: should be X
    page.locator("#id_applicant_phone").fill("139 1234 8888")
    page.locator("#id_applicant_address").fill("青山村3组12号")
    page.locator("#id_category").select_option(label="邻里")
    page.locator("#place-search").fill("青山村第一")
    expect(page.locator("#id_region option")).to_have_count(1)
    expect(page.locator("#id_region option").first).to_contain_text("青山镇 青山村 青山村第一网格")
    page.locator("#id_narrative").fill("邻居长期占用公共楼道堆放杂物，存在消防隐患，多次沟通无果。")
    page.locator("#id_respondent_name").fill("李四")
    page.get_by_role("button", name="登记", exact=True).click()

    error = page.locator("#id_applicant_id_number_error")
    expect(error).to_contain_text("校验位不正确")
    expect(page.locator("#id_applicant_id_number")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_applicant_name")).to_have_value("王建国")
    expect(page.locator("#id_applicant_phone")).to_have_value("139 1234 8888")
    expect(page.locator("#id_narrative")).to_have_value("邻居长期占用公共楼道堆放杂物，存在消防隐患，多次沟通无果。")
    expect(page.locator("#id_respondent_name")).to_have_value("李四")
    expect(page.locator("#id_region option:checked")).to_contain_text("青山村第一网格")
    shot(page, "intake-bad-id-number")
    assert Case.objects.count() == 0

    page.locator("#id_applicant_id_number").fill("11010519491231002X")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("h1")).to_contain_text("分类处置")
    case = Case.objects.get()
    expect(page.locator("#dispatch-to option:checked")).to_contain_text("青山村社会治理工作站")
    page.locator("#dispatch-note").fill("请村调委会三日内调处")
    page.get_by_role("button", name="交办", exact=True).click()
    expect(page.locator("#holder")).to_contain_text("青山村")
    case.refresh_from_db()
    assert case.tier == "village" and case.deadline is not None

    page.locator("#receipt-a4").click()
    expect(page.locator("#receipt-number")).to_have_text(case.number)
    expect(page.locator(".qr svg")).to_be_visible()
    shot(page, "intake-receipt-a4")
    page.get_by_role("link", name="80 mm").click()
    expect(page.locator("body")).to_have_class("paper-80mm")
    page.set_viewport_size({"width": 420, "height": 900})
    shot(page, "intake-receipt-80mm")

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/cases/?q={case.number}")
    row = page.locator("#case-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("青山村第一网格")
    expect(row).to_contain_text(f"{timezone.localtime(case.deadline):%Y-%m-%d}")
    shot(page, "intake-case-in-list")
