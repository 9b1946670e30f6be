from django.utils import translation

from tests.factories import CaseFactory, region


def test_login_page_is_chinese_by_default(client, demo):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html and "登录" in html


def test_english_is_available(client, demo):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_every_demo_account_logs_in(client, demo):
    for username in ["admin", "leader", "clerk", "town_clerk", "other_town_clerk", "mediator",
                     "village_mediator", "gridworker"]:
        response = client.post("/accounts/login/", {"username": username, "password": "demo12345"})
        assert response.status_code == 302 and response.url == "/", username
        home = client.get("/")
        assert home.status_code == 200
        client.post("/accounts/logout/")


def test_wrong_password_shows_a_chinese_error_and_keeps_the_username(client, demo):
    response = client.post("/accounts/login/", {"username": "clerk", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200 and "请输入一个正确的" in html and 'value="clerk"' in html


def test_pages_need_login(client, demo):
    for url in ["/", "/cases/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_home_shows_what_the_clerk_has_to_do(client, staff):
    clerk = staff("village_mediator")
    case = CaseFactory()  # held by the village center, awaiting triage
    client.force_login(clerk)
    html = client.get("/").content.decode()
    assert case.number in html


def test_leader_home_lists_overdue(client, staff):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import registered_at

    late = registered_at(timezone.now() - timedelta(days=20))
    client.force_login(staff("leader"))
    html = client.get("/").content.decode()
    assert late.number in html and "督办" in html


def test_case_list_filters_and_htmx_partial(client, staff):
    mine = CaseFactory(narrative="村民反映宅基地边界纠纷需要调处")
    elsewhere = CaseFactory(region=region("339901002001"))
    client.force_login(staff("town_clerk"))
    html = client.get("/cases/").content.decode()
    assert mine.number in html and elsewhere.number not in html
    partial = client.get("/cases/", {"q": "宅基地"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert mine.number in body and "<html" not in body


def test_bad_filter_value_is_explained_not_crashing(client, staff):
    client.force_login(staff("clerk"))
    response = client.get("/cases/", {"status": "bogus"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_case_detail_shows_masked_parties_and_timeline(client, staff):
    case = CaseFactory(parties=[{"role": "applicant", "name": "李四", "id_number": "11010519491231002X",
                                 "phone": "13812345678"}])
    client.force_login(staff("clerk"))
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "李四" in html and "110105**********2X" in html and "138****5678" in html
    assert "11010519491231002X" not in html and "13812345678" not in html
    assert "登记" in html  # the created event


def test_status_change_from_the_page(client, staff):
    case = CaseFactory()
    client.force_login(staff("village_mediator"))
    response = client.post(f"/cases/{case.pk}/status/", {"action": "resolve", "note": "当场化解"}, follow=True)
    html = response.content.decode()
    assert "已化解" in html and "当场化解" in html
    case.refresh_from_db()
    assert case.status == "resolved"


def test_refused_status_change_shows_the_reason(client, staff):
    case = CaseFactory()
    client.force_login(staff("village_mediator"))
    with translation.override("zh-hans"):
        response = client.post(f"/cases/{case.pk}/status/", {"action": "close"}, follow=True)
    assert "不能" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "registered"


def test_chinese_even_when_the_browser_asks_for_english(client, demo):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in html


def test_page_links_point_at_pages_not_the_api(client, staff):
    case = CaseFactory()
    client.force_login(staff("clerk"))
    html = client.get("/cases/").content.decode()
    assert f'href="/cases/{case.pk}/"' in html and "/api/v1/cases/" not in html


def test_the_place_filter_lists_villages_by_town_not_every_grid(client, staff):
    client.force_login(staff("leader"))
    page = client.get("/cases/").content.decode()
    assert ">青山镇 青山村<" in page
    assert "第一网格<" not in page  # grids are not listed...
    grid = "33990100100101"
    filtered = client.get("/cases/", {"region": grid})
    assert filtered.status_code == 200 and f'value="{grid}" selected' in filtered.content.decode()  # ...but filter
