"""The grid loop on a phone (390×844) in real headless Chromium, with real photos:
the grid worker reports a rental-housing hazard with a photo and the phone's
location; the village center registers it and dispatches it to ``handler``; the
handler feeds back with a photo; the worker verifies on the spot; the center
closes and rates it. Then: a photo upload that fails on the way keeps the report,
and the photos are sent again without retyping; the grid tree and the map list."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from governance.models import Case
from governance.timers.sweep import sweep_clocks
from grid.models import GridEvent
from tests.governance.test_browser import log_in, shot  # noqa: F401 - the screenshot fixture
from tests.grid.conftest import FILES

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def as_person(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username)


def pictures_loaded(page):
    # Polled from here: wait_for_function evaluates its predicate with eval() inside the page,
    # which the Content-Security-Policy (no 'unsafe-eval') refuses.
    for _ in range(100):
        if page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the photos did not load: " + str(page.evaluate(
        "Array.from(document.images).map(i => [i.src, i.complete, i.naturalWidth, i.loading])")))


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_a_rental_housing_hazard_through_the_whole_loop_on_a_phone(demo_transactional, live_server, page, shot):
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 30.261234, "longitude": 120.123456, "accuracy": 12})

    # 1. The grid worker reports from the phone.
    as_person(page, live_server, "gridworker")
    page.goto(f"{live_server.url}/grid/")
    expect(page.locator("#my-grids")).to_contain_text("青山村第一网格")
    pictures_loaded(page)
    shot(page, "grid-01-worker-desk")
    page.locator("#report-button").click()
    expect(page.locator("h1")).to_have_text("上报事件")
    expect(page.locator("label[for=type-fee_collection]")).to_have_count(0)  # not on the admission list
    page.locator("label[for=type-rental_housing]").click()
    page.locator("#id_place").select_option(label="青山村第一网格 · 1组")
    page.locator("#id_description").fill("3组12号出租屋楼道内两辆电动车在充电，电线从窗户拉出，堵住安全出口。")
    page.locator("#id_address").fill("3组12号一楼楼道")
    page.locator("#locate").click()
    expect(page.locator("#location-status")).to_contain_text("30.261234")
    page.locator("#id_photos").set_input_files(str(FILES / "building.jpg"))
    expect(page.locator("#photo-preview img")).to_have_count(1)
    no_sideways_scroll(page)
    pictures_loaded(page)
    shot(page, "grid-02-report-form")
    page.locator("#report-submit").click()
    expect(page).to_have_url(re.compile(r"/grid/events/\d+/\?reported=1$"))
    expect(page.locator(".alert-success")).to_contain_text("附照片 1 张")
    expect(page.locator("#event-photos img")).to_have_count(1)
    event = GridEvent.objects.get()
    assert (str(event.latitude), str(event.longitude)) == ("30.261234", "120.123456")
    assert event.case.region.code == "3399010010010101" and event.photos.get().content_type == "image/jpeg"
    expect(page.locator(".event-status").first).to_have_text("已上报")
    pictures_loaded(page)
    shot(page, "grid-03-reported")

    # 2. The village center registers it and dispatches it to the handler.
    as_person(page, live_server, "village_clerk")
    page.goto(f"{live_server.url}/grid/")
    page.locator("#queue-register").get_by_text(event.case.number).click()
    page.locator("#step-register").get_by_role("button", name="立案").click()
    expect(page.locator(".alert-success")).to_contain_text("已立案")
    page.locator("#dispatch-to").select_option(label="人社 · 孙建军")
    page.locator("#dispatch-instruction").fill("请会同房东三日内清理楼道，拆除私拉电线")
    pictures_loaded(page)
    shot(page, "grid-04a-dispatch-form")
    page.locator("#step-dispatch").get_by_role("button", name="派遣").click()
    expect(page.locator("#event-handler")).to_contain_text("县人社局 · 孙建军")
    expect(page.locator(".event-status").first).to_have_text("已派遣")
    no_sideways_scroll(page)
    pictures_loaded(page)
    shot(page, "grid-04-registered-and-dispatched")

    # 3. The handler takes it on and feeds back with a photo.
    as_person(page, live_server, "handler")
    page.goto(f"{live_server.url}/grid/")
    page.locator("#queue-handle").get_by_text(event.case.number).click()
    page.get_by_role("button", name="签收并开始处置").click()
    page.locator("#feedback-note").fill("已会同房东清理楼道，拆除私拉电线，电动车移至集中充电棚。")
    page.locator("#feedback-photos").set_input_files(str(FILES / "flower.jpg"))
    expect(page.locator("#feedback-preview img")).to_have_count(1)
    pictures_loaded(page)
    shot(page, "grid-05a-feedback-form")
    page.locator("#step-feedback").get_by_role("button", name="反馈").click()
    expect(page.locator(".event-status").first).to_have_text("已反馈")
    expect(page.locator("#event-feedback")).to_contain_text("集中充电棚")
    pictures_loaded(page)
    shot(page, "grid-05-fed-back")

    # 4. The worker verifies on the spot, with a photo.
    as_person(page, live_server, "gridworker")
    page.goto(f"{live_server.url}/grid/")
    page.locator("#queue-verify").get_by_text(event.case.number).click()
    page.locator("#verify-note").fill("现场查看：楼道已清空，安全出口畅通。")
    page.locator("#verify-photos").set_input_files(str(FILES / "building.jpg"))
    pictures_loaded(page)
    shot(page, "grid-06a-verify-form")
    page.get_by_role("button", name="已处置到位").click()
    expect(page.locator(".event-status").first).to_have_text("已核查")
    pictures_loaded(page)
    shot(page, "grid-06-verified")

    # 5. The center closes and rates it.
    as_person(page, live_server, "village_clerk")
    page.goto(f"{live_server.url}/grid/events/{event.pk}/")
    page.locator("#step-close").get_by_role("button", name="结案").click()
    expect(page.locator(".event-status").first).to_have_text("已结案")
    page.locator("label[for=rating-5]").click()
    page.locator("#evaluate-note").fill("处置及时，群众满意")
    page.locator("#step-evaluate").get_by_role("button", name="评价").click()
    expect(page.locator(".event-status").first).to_have_text("已评价")
    expect(page.locator("#event-rating")).to_contain_text("非常满意")
    expect(page.locator("#timeline")).to_contain_text("评价为“非常满意”")
    no_sideways_scroll(page)
    pictures_loaded(page)
    shot(page, "grid-07-closed-and-rated")

    event.refresh_from_db()
    case = Case.objects.get(pk=event.pk)
    assert (event.status, event.rating, case.status) == ("evaluated", 5, "closed")
    assert sorted(event.photos.values_list("step", flat=True)) == ["feedback", "report", "verify"]
    page.goto(f"{live_server.url}/cases/{event.pk}/")
    expect(page.locator("#grid-event-panel")).to_contain_text("出租房屋隐患")
    pictures_loaded(page)
    shot(page, "grid-08-matter-page")


def test_a_failed_upload_keeps_the_report_and_the_photos_go_again(demo_transactional, live_server, page, shot):
    page.set_viewport_size(PHONE)
    as_person(page, live_server, "gridworker")
    page.goto(f"{live_server.url}/grid/report/")
    page.locator("label[for=type-fire_safety]").click()
    page.locator("#id_description").fill("文化礼堂后门消防通道堆满木料，灭火器压力不足。")
    page.locator("#id_photos").set_input_files(str(FILES / "building.jpg"))
    # The words get through; the photos' request dies on the way (the signal drops).
    page.route("**/grid/events/*/photos/", lambda route: route.abort() if route.request.method == "POST"
               else route.continue_())
    page.locator("#report-submit").click()
    expect(page.locator("#network-failed")).to_be_visible()
    expect(page.locator("#report-kept")).to_contain_text("消防安全隐患")
    event = GridEvent.objects.get()
    assert event.case.narrative.startswith("文化礼堂后门") and not event.photos.exists()
    pictures_loaded(page)
    shot(page, "grid-09-upload-failed-report-kept")
    page.unroute("**/grid/events/*/photos/")
    # A PDF renamed .jpg is refused by its content, the report still kept.
    pdf = FILES.parent / "files" / "not-a-photo.jpg"
    page.locator("#id_photos").set_input_files(
        files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4\n" + b"0" * 400 + b"\n%%EOF"}])
    page.get_by_role("button", name="上传照片").click()
    expect(page.locator(".alert-danger")).to_contain_text("不是照片")
    expect(page.locator("#report-kept")).to_be_visible()
    assert not pdf.exists()
    pictures_loaded(page)
    shot(page, "grid-09b-pdf-named-jpg-refused")
    page.locator("#id_photos").set_input_files(str(FILES / "building.jpg"))
    page.get_by_role("button", name="上传照片").click()
    expect(page.locator("#event-photos img")).to_have_count(1)
    assert event.photos.count() == 1
    pictures_loaded(page)
    shot(page, "grid-10-photos-sent-again")


def test_the_grid_tree_and_the_map_list(demo_transactional, live_server, page, shot):
    from grid.services import loop, reporting
    from governance.models import Region, User
    from grid.models import EventType
    from django.core.files.uploadedfile import SimpleUploadedFile

    worker = User.objects.get(username="gridworker")
    photo = SimpleUploadedFile("p.jpg", (FILES / "building.jpg").read_bytes())
    late = reporting.event_report(actor=worker, event_type=EventType.objects.get(code="fire_safety"),
                                  place=Region.objects.get(code="33990100100101"), description="楼道堆物",
                                  latitude="30.26", longitude="120.12", photos=[photo])
    due = Case.objects.get(pk=late.pk).clock("grid.register").due_at
    sweep_clocks(now=due + timedelta(minutes=1))
    reporting.event_report(actor=worker, event_type=EventType.objects.get(code="health"),
                           place=Region.objects.get(code="33990100100103"), description="小卖部出售过期食品",
                           latitude="30.2611", longitude="120.1222")
    assert loop  # the loop is exercised above; here only the views
    page.set_viewport_size(PHONE)
    as_person(page, live_server, "village_clerk")
    page.goto(f"{live_server.url}/grid/overview/")
    expect(page.locator('.grid-row.danger[data-code="33990100100101"]')).to_be_visible()
    expect(page.locator('.grid-row.warning[data-code="33990100100103"]')).to_be_visible()
    expect(page.locator('.grid-row.success[data-code="33990100100102"]')).to_be_visible()
    no_sideways_scroll(page)
    pictures_loaded(page)
    shot(page, "grid-11-tree-village")
    page.goto(f"{live_server.url}/grid/map/")
    expect(page.locator("#no-tiles")).to_be_visible()
    expect(page.locator("#point-list li")).to_have_count(2)
    pictures_loaded(page)
    shot(page, "grid-12-map-list")
    page.set_viewport_size({"width": 1366, "height": 768})
    as_person(page, live_server, "leader")
    page.goto(f"{live_server.url}/grid/overview/")
    expect(page.locator("#grid-tree")).to_contain_text("无网格员")
    pictures_loaded(page)
    shot(page, "grid-13-tree-county")


def test_the_map_with_the_countys_tile_server(demo_transactional, live_server, page, shot, settings):
    """Leaflet from static/, tiles only from the configured server (here a tile the
    test server itself serves): no request leaves for the internet."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from governance.models import Region, User
    from grid.models import EventType
    from grid.services import reporting

    settings.GRID_MAP_TILE_URL = f"{live_server.url}/static/vendor/leaflet/images/layers.png?z={{z}}&x={{x}}&y={{y}}"
    settings.GRID_MAP_ATTRIBUTION = "示范县测绘院"
    worker = User.objects.get(username="gridworker")
    for index, (code, lat, lng) in enumerate([("fire_safety", "30.2601", "120.1202"), ("health", "30.2622", "120.1231"),
                                              ("environment", "30.2587", "120.1249")]):
        reporting.event_report(actor=worker, event_type=EventType.objects.get(code=code),
                               place=Region.objects.get(code=f"3399010010010{index + 1}"), description="巡查发现",
                               latitude=lat, longitude=lng,
                               photos=[SimpleUploadedFile("p.jpg", (FILES / "building.jpg").read_bytes())])
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:") else None)
    page.set_viewport_size(PHONE)
    as_person(page, live_server, "village_clerk")
    page.goto(f"{live_server.url}/grid/map/")
    expect(page.locator("#grid-map .leaflet-interactive")).to_have_count(3)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("示范县测绘院")
    page.locator("#grid-map .leaflet-interactive").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("2026-")
    shot(page, "grid-14-map-leaflet")
    assert outside == []


def test_patrols_rewards_and_coverage_pages(demo_transactional, live_server, page, shot):
    from governance.models import User
    from grid.models import RewardRate
    from grid.services import rewards
    from tests.grid.conftest import report, to_step

    people = {u.username: u for u in User.objects.filter(username__in=["gridworker", "village_clerk", "handler"])}
    event = to_step(report(people["gridworker"]), people, "registered")
    rewards.reward_give(event_id=event.pk, actor=people["village_clerk"], rate=RewardRate.objects.get(name="重要隐患"),
                        note="及时发现群租隐患")
    page.set_viewport_size(PHONE)
    as_person(page, live_server, "gridworker")
    page.goto(f"{live_server.url}/grid/patrols/")
    page.get_by_role("button", name="开始巡查").click()
    expect(page.locator("#patrol-under-way")).to_contain_text("青山村第一网格")
    page.locator("#id_route").fill("1组→3组→文化礼堂→村口")
    page.locator("#id_findings").fill("3组楼道堆物一处，已上报")
    page.get_by_role("button", name="结束巡查").click()
    expect(page.locator("#patrols-today li")).to_have_count(1)
    shot(page, "grid-15-patrol-log")
    page.goto(f"{live_server.url}/grid/rewards/")
    expect(page.locator("#ledger-total")).to_contain_text("50.00")
    shot(page, "grid-16-my-rewards")
    as_person(page, live_server, "village_clerk")
    page.goto(f"{live_server.url}/grid/patrols/")
    expect(page.locator("#patrol-summary")).to_contain_text("吴海波")
    shot(page, "grid-17-patrol-summary")
    page.goto(f"{live_server.url}/grid/rewards/")
    expect(page.locator(".ledger-line")).to_contain_text("吴海波")
    no_sideways_scroll(page)
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    shot(page, "grid-18-reward-ledger")
    page.set_viewport_size({"width": 1366, "height": 768})
    as_person(page, live_server, "admin")
    page.goto(f"{live_server.url}/grid/coverage/")
    expect(page.locator("#grids-without-worker")).to_contain_text("新塘村第一网格")
    expect(page.locator("#workers-without-grid")).to_contain_text("魏小军")
    shot(page, "grid-19-coverage")
