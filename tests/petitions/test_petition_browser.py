"""A letter petition through its statutory steps in real headless Chromium: the
petition office's clerk registers it (received the day before), forwards it; the
labour bureau's handler accepts it and the acceptance notice is printed and
looked at; the handler replies; the clerk registers the petitioner's review request."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.timers.calendar import legal_last_day
from petitions.models import Petition, PetitionDocument
from petitions.periods import start_of
from tests.governance.test_browser import SCREENSHOTS, log_in, shot  # noqa: F401 - the screenshot fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}  # a county's browsers: dates as 2026/11/30


def as_user(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_a_letter_petition_from_registration_to_the_review_request(demo_transactional, live_server, page, shot):
    from demo.petitions import seed_petition_reference

    seed_petition_reference()
    today = timezone.localdate()
    received = today - timedelta(days=1)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The petition office's clerk registers a letter that arrived yesterday.
    as_user(page, live_server, "petition_clerk")
    page.get_by_role("link", name="信访", exact=True).click()
    page.get_by_role("link", name="信访登记").click()
    page.locator("#id_channel").select_option("letter")
    page.locator("#id_received_on").fill(received.isoformat())
    page.locator("#id_addressed_to").fill("县人民政府")
    page.locator("#id_category").select_option(label="劳资")
    page.locator("#place-search").fill("青山村第一")
    expect(page.locator("#id_region option")).to_have_count(1)
    page.locator("#id_narrative").fill("某建筑公司拖欠农民工工资三个月共计四万余元，多次讨要未果，请求县政府督促支付。")
    page.locator("#id_p-0-name").fill("王建国")
    page.locator("#id_p-0-id_number").fill("11010519491231002X")
    page.locator("#id_p-0-phone").fill("13912348888")
    page.locator("#id_p-0-address").fill("青山镇青山村3组12号")
    shot(page, "petitions-register-letter")
    page.locator("#register").click()
    expect(page.locator("#petition-step")).to_have_text("已登记")
    petition = Petition.objects.get()
    assert petition.received_on == received and petition.case.channel == "letter"
    # The forward period counts 15 days from the day received (art. 22), not from today.
    forward_due = legal_last_day(start_of(received), 15)
    row = page.locator('[data-deadline="forward_due"]')
    expect(row).to_contain_text(forward_due.isoformat())
    expect(row).to_contain_text(f"还有{(forward_due - today).days}天")
    expect(page.locator("#petitioners")).to_contain_text("110105**********2X")
    shot(page, "petitions-registered")

    # The office forwards it to the county's labour bureau.
    page.locator("#id_forward-to").select_option(label="县人社局")
    page.locator("#do-forward").click()
    expect(page.locator("#petition-step")).to_have_text("已转送（交办）")
    expect(page.locator("#holder")).to_contain_text("县人社局")
    expect(page.locator('[data-deadline="acceptance_due"]')).to_contain_text(
        legal_last_day(start_of(today), 15).isoformat())
    shot(page, "petitions-forwarded")

    # The bureau's handler accepts it, and the acceptance notice is served in person.
    as_user(page, live_server, "handler")
    page.get_by_role("link", name="信访", exact=True).click()
    page.get_by_role("link", name=petition.case.number).click()
    page.locator("#id_accept-service").select_option("in_person")
    page.locator("#do-accept").click()
    expect(page.locator("#petition-step")).to_have_text("已受理，办理中")
    expect(page.locator('[data-deadline="reply_due"]')).to_contain_text(
        legal_last_day(start_of(today), 60).isoformat())
    page.locator('.document-link[data-kind="acceptance"]').click()
    notice = PetitionDocument.objects.get(kind="acceptance")
    expect(page.locator("#notice-title")).to_have_text("信访事项受理告知书")
    expect(page.locator("#notice-number")).to_have_text(notice.number)
    expect(page.locator("#notice-organ")).to_have_text("县人社局")
    expect(page.locator(".record")).to_contain_text("11010519491231002X")  # whole, on the printed notice only
    expect(page.locator("#notice-served")).to_contain_text("直接送达")
    shot(page, "petitions-acceptance-notice")
    page.emulate_media(media="print")
    expect(page.locator(".toolbar")).to_be_hidden()
    shot(page, "petitions-acceptance-notice-print")
    printed = page.pdf(prefer_css_page_size=True)  # the A4 @page of the notice, as the printer gets it
    assert len(re.findall(rb"/Type\s*/Page[^s]", printed)) == 1  # one sheet
    (SCREENSHOTS / "petitions-acceptance-notice.pdf").write_bytes(printed)
    page.emulate_media(media="screen")
    page.get_by_role("link", name="返回").click()

    # It replies: the handling opinion, served by post today.
    expect(page.locator("#action-reply")).to_have_attribute("open", "")  # the step due now is unfolded
    page.locator("#id_reply-opinion").fill("经调查核实，已责令该公司于十日内足额支付拖欠工资，逾期将依法移送查处。")
    page.locator("#id_reply-service").select_option("post")
    page.locator("#do-reply").click()
    expect(page.locator("#petition-step")).to_have_text("已出具处理意见")
    review_until = legal_last_day(start_of(today), 30)
    expect(page.locator('[data-deadline="review_request_due"]')).to_contain_text(review_until.isoformat())
    expect(page.locator("#documents")).to_contain_text("处理意见书")
    expect(page.locator("#action-request-review")).to_have_count(0)  # the bureau does not review its own reply
    shot(page, "petitions-replied")

    # The petitioner asks for a review: the petition office (the county's review office) registers it.
    as_user(page, live_server, "petition_clerk")
    page.goto(f"{live_server.url}/petitions/{petition.pk}/")
    page.locator("#do-request-review").click()
    expect(page.locator("#petition-step")).to_have_text("复查中")
    expect(page.locator("#holder")).to_contain_text("县信访局")
    expect(page.locator('[data-deadline="review_due"]')).to_contain_text(
        legal_last_day(start_of(today), 30).isoformat())
    expect(page.locator("#timeline")).to_contain_text("请求复查")
    shot(page, "petitions-review-requested")
    petition.refresh_from_db()
    assert petition.step == "review_requested" and petition.review_requested_on == today


def test_a_leader_looks_at_the_backlog_the_owned_board_and_the_receptions(demo_transactional, live_server, page,
                                                                         shot):
    from django.core.management import call_command

    call_command("seed_demo", cases=1500, verbosity=0)
    page.set_viewport_size({"width": 1366, "height": 900})
    as_user(page, live_server, "leader")
    page.get_by_role("link", name="信访", exact=True).click()
    expect(page.locator("#petition-table tbody tr")).to_have_count(25)
    shot(page, "petitions-list")
    page.get_by_role("link", name="积案").click()
    expect(page.locator("#backlog-table")).to_contain_text("超期")
    shot(page, "petitions-backlog")
    page.get_by_role("link", name="我的包案").click()
    expect(page.locator("#owned-board .card").first).to_contain_text("约谈信访人，听取诉求")
    shot(page, "petitions-owned")
    page.get_by_role("link", name="领导接访").click()
    expect(page.locator(".reception-day").first).to_be_visible()
    expect(page.locator(".slot.booked").first).to_be_visible()
    shot(page, "petitions-reception")
    page.set_viewport_size({"width": 420, "height": 900})
    page.get_by_role("link", name="积案").click()
    shot(page, "petitions-backlog-phone")


def test_a_visitor_petitioning_again_on_final_facts_is_recorded_as_not_accepted(demo_transactional, live_server,
                                                                                page, shot):
    from datetime import date

    from demo.petitions import seed_petition_reference
    from tests.petitions.helpers import register_letter
    from tests.petitions.test_repeat import to_final

    seed_petition_reference()
    final = to_final(register_letter(date(2026, 1, 5)).case.pk)
    page.set_viewport_size({"width": 1366, "height": 900})
    as_user(page, live_server, "petition_clerk")
    page.goto(f"{live_server.url}/petitions/new/")
    page.locator("#id_addressed_to").fill("县人民政府")
    page.locator("#id_category").select_option(label="劳资")
    page.locator("#place-search").fill("青山村第一")
    expect(page.locator("#id_region option")).to_have_count(1)
    page.locator("#id_narrative").fill("仍然反映工资问题，要求重新处理。")
    page.locator("#id_p-0-name").fill("王建国")
    page.locator("#id_p-0-phone").fill("13912348888")
    page.locator("#id_p-0-id_number").fill("11010519491231002X")
    page.locator("#id_p-0-address").fill("青山镇青山村3组12号")
    offered = page.locator("#petition-candidates")
    expect(offered).to_contain_text(final.case.number)
    expect(offered).to_contain_text("第三十六条")
    shot(page, "petitions-final-facts-offered")
    offered.get_by_role("button", name="登记为不予受理（第三十六条）").click()
    expect(page.locator("#petition-step")).to_have_text("不予受理")
    expect(page.locator("#not-accepted")).to_contain_text(final.case.number)
    expect(page.locator("#documents")).to_contain_text("不予受理告知书")
    shot(page, "petitions-final-facts-not-accepted")
