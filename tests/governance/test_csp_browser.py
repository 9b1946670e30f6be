"""In real Chromium, with the Content-Security-Policy on: the pages work and the
browser reports no violation (an inline script, style or handler would be one)."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import CaseFactory

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
pytestmark = pytest.mark.browser


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo12345")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_the_pages_run_under_the_policy_without_violations(demo_transactional, live_server, page):
    violations = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    page.set_viewport_size({"width": 1366, "height": 900})
    case = CaseFactory(parties=[{"role": "applicant", "name": "王建国", "id_number": "11010519491231002X",
                                 "phone": "13912348888"}])
    page.goto(f"{live_server.url}/public/")
    page.goto(f"{live_server.url}/public/status/")
    log_in(page, live_server, "village_clerk")
    for path in ("/", "/cases/", f"/cases/{case.pk}/", "/intake/", f"/intake/cases/{case.pk}/receipt/",
                 "/inbox/", "/mediation/", "/grid/events/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
    # Reveal on the matter's page (a <details>, opened by the browser itself: no script needed).
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("#reveal summary").click()
    page.get_by_label("用途（将记入访问记录）").fill("电话回访申请人")
    page.get_by_role("button", name="查看", exact=True).click()
    expect(page.locator("#revealed")).to_contain_text("13912348888")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "reveal.png"), full_page=True)
    # The receipt with its clerk's copy.
    page.goto(f"{live_server.url}/intake/cases/{case.pk}/receipt/")
    page.locator("#clerk-copy-button").click()
    expect(page.locator("#clerk-copy")).to_contain_text("11010519491231002X")
    page.screenshot(path=str(SCREENSHOTS / "receipt-clerk-copy.png"), full_page=True)
    log_in(page, live_server, "leader")
    for path in ("/dashboard/", "/supervision/", "/bulletins/"):
        assert page.goto(f"{live_server.url}{path}").status == 200, path
    page.wait_for_timeout(500)  # the charts draw
    log_in(page, live_server, "admin")
    for path in ("/admin/", f"/admin/governance/case/{case.pk}/change/", "/admin/governance/accesslogentry/",
                 "/admin/governance/auditevent/", "/api/docs/"):
        assert page.goto(f"{live_server.url}{path}").status == 200, path
    page.wait_for_timeout(500)
    assert not violations, violations
