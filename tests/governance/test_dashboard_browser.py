"""A leader in real headless Chromium: the dashboard's charts render with Chinese
labels, the largest bar opens exactly its matters, and the Excel export holds the
same figures."""
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from governance.dashboards import rollup
from governance.models import Category
from tests.factories import registered_at, region
from tests.governance.test_browser import log_in, shot  # noqa: F401 - shot is a fixture

pytestmark = pytest.mark.browser


def test_leader_reads_the_dashboard_drills_down_and_exports(demo_transactional, live_server, page, shot):
    now = timezone.now()
    categories = {"neighbourhood": 5, "labour": 3, "debt": 1}
    for code, count in categories.items():
        for n in range(count):
            registered_at(now - timedelta(days=n + 1), region=region("339901001001"),
                          category=Category.objects.get(code=code))
    rollup.refresh(full=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, "leader")
    page.get_by_role("link", name="统计分析").click()
    expect(page.locator("#measures")).to_contain_text("化解率")
    chart = page.locator("#chart-categories")
    expect(chart.locator("svg")).to_have_count(1)
    expect(chart).to_contain_text("邻里")  # Chinese labels on the axis
    for name in ["trend", "funnel", "places", "channels", "open-age"]:
        expect(page.locator(f"#chart-{name} svg")).to_have_count(1)
    shot(page, "dashboard-leader")

    # The largest bar of the category chart (邻里, 5 matters), clicked where it is drawn
    # once the chart has finished growing its bars.
    page.wait_for_timeout(1500)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    x, y = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('chart-categories'));
        const values = chart.getOption().series[0].data;
        const index = values.indexOf(Math.max(...values));
        const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(index);
        return [bar.x + bar.width / 2, bar.y + bar.height / 2];
    }""")
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(re.compile(r"/cases/\?.*category=neighbourhood"))
    expect(page.locator("#case-count")).to_have_text("共 5 件事项")
    expect(page.locator("#case-table tbody tr")).to_have_count(5)
    shot(page, "dashboard-drill-down")

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    workbook = load_workbook(BytesIO(download.value.path().read_bytes()))
    figures = {row[0]: row[1] for row in workbook["指标"].iter_rows(min_row=2, values_only=True)}
    assert figures["受理量"] == sum(categories.values())
    categories_sheet = {row[0]: row[1] for row in workbook["按类别"].iter_rows(min_row=2, values_only=True)}
    assert categories_sheet == {"邻里": 5, "劳资": 3, "债务": 1}
