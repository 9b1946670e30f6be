"""A village mediator's whole mediation in real headless Chromium: open it on a
village dispute, accept it, book the village room while a second tab books an
overlapping slot and is refused on screen, record the minutes, settle it, print
the agreement on A4, record the signature, and the follow-up closes the matter.
The server's clock is moved with time_machine (the session must have begun
before its minutes are written)."""
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from governance.models import Case
from governance.models import AccessLogEntry
from mediation.models import Mediation
from tests.governance.test_browser import log_in, shot  # noqa: F401 - the screenshot fixture
from tests.mediation.conftest import NOW, village_dispute

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A mediator's browser in the county: Chinese, Beijing time (dates and times read as at the center)."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def book(page, start, end):
    form = page.locator("#step-book")
    form.locator("#id_book-day").fill(f"{NOW:%Y-%m-%d}")
    form.locator("#id_book-starts").fill(start)
    form.locator("#id_book-ends").fill(end)
    expect(form.locator("#id_book-room option:checked")).to_have_text("青山村工作站 · 调解室")
    form.locator("#submit-book").click()


def test_village_mediator_mediates_a_village_dispute_from_opening_to_closing(
        demo_transactional, live_server, page, shot):  # noqa: F811
    with time_machine.travel(NOW, tick=True) as clock:
        case = village_dispute(narrative="邻居装修长期噪音扰民，多次协商无果，申请调解。")
        page.set_viewport_size({"width": 1366, "height": 900})
        log_in(page, live_server, "village_mediator")

        # Open a mediation from the matter's page; the suggestion says why.
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        page.locator("#open-mediation").click()
        expect(page.locator("#suggestions li").first).to_contain_text("周桂英")
        expect(page.locator(".suggestion-reason").first).to_contain_text("专长：邻里")
        expect(page.locator("#id_lead option:checked")).to_contain_text("周桂英")
        shot(page, "mediation-open")
        page.locator("#submit-open").click()
        expect(page.locator("#mediation-status")).to_have_text("待主调解员接受")
        mediation = Mediation.objects.get(case=case)

        page.locator("#submit-accept").click()
        expect(page.locator("#mediation-status")).to_have_text("已受理")

        # A second tab with the same page, its form loaded before the first booking.
        other = page.context.new_page()
        other.set_viewport_size({"width": 1366, "height": 900})
        other.goto(page.url)
        book(page, "10:00", "11:00")
        expect(page.locator("#mediation-status")).to_have_text("已排期")
        session = mediation.sessions.get()
        expect(page.locator(f"#session-{session.pk}")).to_contain_text("10:00–11:00")
        book(other, "10:30", "11:30")
        refusal = other.locator("#step-book .form-refusal")
        expect(refusal).to_contain_text("该时段已被占用")
        expect(refusal).to_contain_text(f"调解会{session.pk}号")
        expect(refusal).to_contain_text("10:00–11:00")
        expect(other.locator("#id_book-starts")).to_have_value("10:30")
        other.locator("#step-book").scroll_into_view_if_needed()
        shot(other, "mediation-double-booking-refused")
        assert mediation.sessions.count() == 1
        other.close()

        # The session has begun: the minutes.
        clock.move_to(NOW + timedelta(hours=1, minutes=40))
        page.reload()
        minutes = page.locator(f"#minutes-{session.pk}")
        expect(minutes.locator(f"#id_minutes-{session.pk}-attendees")).to_have_value("王建国、李四、周桂英")
        minutes.locator(f"#id_minutes-{session.pk}-statements").fill(
            "申请人陈述装修噪音持续三个月；被申请人承认施工时间安排不当，愿意赔偿。")
        minutes.locator(f"#id_minutes-{session.pk}-agreed").fill("被申请人赔偿申请人2000元，今后晚八点后不施工。")
        page.locator(f"#submit-minutes-{session.pk}").click()
        expect(page.locator("#mediation-status")).to_have_text("调解中")
        expect(page.locator(f"#session-{session.pk} .minutes")).to_contain_text("愿意赔偿")

        # Settled: the agreement is drawn.
        page.locator("#step-succeed summary").click()
        page.locator("#id_succeed-facts").fill("被申请人房屋装修期间长期在夜间施工，噪音影响申请人休息。")
        page.locator("#id_succeed-terms").fill("一、被申请人于2026年12月15日前赔偿申请人人民币2000元；\n"
                                               "二、被申请人今后每日20时至次日8时不进行装修施工。")
        page.locator("#id_succeed-performance_deadline").fill("2026-12-15")
        page.locator("#submit-succeed").click()
        expect(page.locator("#mediation-status")).to_have_text("调解成功")
        expect(page.locator("#agreement-versions")).to_contain_text("第1版")
        shot(page, "mediation-settled")

        # Print it: A4, full ID numbers, written to the access log.
        with page.context.expect_page() as printed:
            page.locator("#print-v1").click()
        sheet = printed.value
        sheet.set_viewport_size({"width": 900, "height": 1300})
        expect(sheet.locator("#agreement h1")).to_have_text("人民调解协议书")
        expect(sheet.locator("#agreement")).to_contain_text("11010519491231002X")
        expect(sheet.locator("#agreement .terms")).to_contain_text("人民币2000元")
        expect(sheet.locator("#agreement .seal-block")).to_contain_text("青山村社会治理工作站")
        shot(sheet, "mediation-agreement-a4")
        sheet.close()
        assert AccessLogEntry.objects.filter(case=case, action="print_agreement").count() == 1

        page.locator("#id_agreement-sign-signed_on").fill(f"{NOW:%Y-%m-%d}")
        page.locator("#submit-agreement-sign").click()
        expect(page.locator("#apply-by")).to_contain_text("2026-12-31")

        # The follow-up (on a phone) closes the matter.
        page.set_viewport_size({"width": 390, "height": 844})
        follow_up = page.locator("#step-follow-up")
        follow_up.get_by_label("电话回访").check()
        follow_up.get_by_label("非常满意").check()
        expect(follow_up.locator("#id_follow-up-performance option:checked")).to_have_text("已全部履行")
        shot(page, "mediation-follow-up-phone")
        page.locator("#submit-follow-up").click()
        expect(page.locator("#mediation-status")).to_have_text("已办结")
        assert Case.objects.get(pk=case.pk).status == "closed"
        page.locator("#case-link").click()
        expect(page.locator("#case-status")).to_have_text("已办结")
        expect(page.locator("#timeline")).to_contain_text("经调解，双方当事人达成调解协议。")

        page.goto(f"{live_server.url}/mediation/")
        expect(page.locator("h1")).to_have_text("我的调解")
        shot(page, "mediation-desk-phone")
