"""The petition pages: the desk (group representatives refused with everything
typed kept), the candidates offered, the petition with its deadlines and steps,
bad input kept on the page, the matter page's panel, the lists; and the API schema."""
from datetime import date

from petitions.models import Petition
from tests.petitions.helpers import on_day, register_letter

DAY = date(2026, 9, 29)


def desk_post(reps, group_size=30, **extra):
    data = {
        "channel": "walk_in", "received_on": "2026-09-29", "addressed_to": "县人民政府", "category": "",
        "region": "", "narrative": "村民集体反映征地补偿问题。", "group_size": str(group_size),
        "p-TOTAL_FORMS": str(reps), "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "1", "p-MAX_NUM_FORMS": "50",
    }
    for n in range(reps):
        data.update({f"p-{n}-name": f"代表{n + 1}", f"p-{n}-phone": f"1391234{n + 1:04d}", f"p-{n}-representative": "on"})
    data.update(extra)
    return data


def test_the_desk_refuses_a_sixth_representative_and_keeps_what_was_typed(db, client, staff):
    from governance.models import Category, Region

    category, region = Category.objects.get(code="land_acquisition"), Region.objects.get(code="339901001001")
    client.force_login(staff("petition_clerk"))
    with on_day(DAY):
        assert "信访登记" in client.get("/petitions/new/").content.decode()
        response = client.post("/petitions/new/", desk_post(6, category=category.pk, region=region.pk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "代表人数不超过5人" in page and "第二十条" in page
    assert 'value="代表6"' in page and "村民集体反映征地补偿问题。" in page and 'value="30"' in page
    assert not Petition.objects.exists()
    with on_day(DAY):
        response = client.post("/petitions/new/", desk_post(5, category=category.pk, region=region.pk))
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/petitions/{petition.pk}/"
    assert petition.petitioners.filter(is_representative=True).count() == 5 and petition.group_size == 30


def test_the_desk_adds_a_person_row_and_offers_the_earlier_petitions(db, client, staff):
    earlier = register_letter(date(2026, 9, 1)).case
    client.force_login(staff("petition_clerk"))
    row = client.get("/petitions/new/person/?p-TOTAL_FORMS=3").content.decode()
    assert 'name="p-3-name"' in row and 'value="4"' in row and "hx-swap-oob" in row
    from governance.models import Category

    offered = client.post("/petitions/new/candidates/", {
        "p-TOTAL_FORMS": "1", "p-0-phone": "139 1234 8888", "category": Category.objects.get(code="labour").pk,
    }).content.decode()
    assert earlier.number in offered and f'name="repeat_of" value="{earlier.pk}"' in offered


def test_the_petition_page_shows_its_deadlines_and_keeps_bad_input(db, client, staff):
    case = register_letter(DAY).case
    client.force_login(staff("petition_clerk"))
    with on_day(DAY):
        page = client.get(f"/petitions/{case.pk}/").content.decode()
        assert "转送交办（第二十二条）" in page and "2026-10-14" in page and "还有15天" in page
        response = client.post(f"/petitions/{case.pk}/act/not-accept/", {
            "not-accept-decided_on": "2026-10-01", "not-accept-served_on": "2026-10-01",
            "not-accept-service": "post", "not-accept-reason": "属于诉讼途径解决的事项",
            "not-accept-proper_channel": "请向人民法院提起诉讼。"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "日期不能晚于今天" in page and "属于诉讼途径解决的事项" in page and "请向人民法院提起诉讼。" in page
    assert Petition.objects.get(pk=case.pk).step == "registered"


def test_the_matter_page_shows_the_petitions_step_and_deadlines(db, client, staff):
    case = register_letter(DAY).case
    client.force_login(staff("petition_clerk"))
    with on_day(DAY):
        page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="petition-panel"' in page and "已登记" in page and "还有15天" in page


def test_the_lists_render(db, client, staff):
    register_letter(DAY)
    for username in ("petition_clerk", "leader", "handler"):
        client.force_login(staff(username))
        for url in ("/petitions/", "/petitions/backlog/", "/petitions/reception/", "/petitions/stats/"):
            assert client.get(url).status_code == 200, (username, url)
    client.force_login(staff("leader"))
    assert client.get("/petitions/owned/").status_code == 200
    client.force_login(staff("handler"))
    assert client.get("/petitions/owned/").status_code == 403
    assert client.get("/petitions/new/").status_code == 403


def test_the_api_schema_documents_the_petitions(db, api_as):
    schema = api_as("admin").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/petitions/" in paths and "post" in paths["/api/v1/petitions/"]
    for action in ("forward", "accept", "not-accept", "extend", "reply", "request-review", "decide-review",
                   "request-re-review", "decide-re-review", "pause", "resume"):
        operation = paths[f"/api/v1/petitions/{{id}}/{action}/"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), action
    petition = schema["components"]["schemas"]["Petition"]["properties"]
    for field in ("forward_due", "acceptance_due", "reply_due", "review_request_due", "review_due",
                  "re_review_request_due", "re_review_due"):
        assert field in petition
    assert "/api/v1/petitions/appointments/" in paths and "/api/v1/petitions/first-visit-rate/" in paths


def test_the_admin_pages_for_what_admins_keep(db, client, staff):
    register_letter(DAY)
    client.force_login(staff("admin"))
    for model in ("statutoryperiod", "documenttemplate", "petitionoffice", "receptionschedule", "receptionday",
                  "dutyshift", "petition", "petitiondocument", "appointment", "receptionrecord"):
        assert client.get(f"/admin/petitions/{model}/").status_code == 200, model
    period = client.get("/admin/petitions/statutoryperiod/1/change/")
    assert period.status_code in (200, 302)
    template = client.get("/admin/petitions/documenttemplate/").content.decode()
    assert "信访事项受理告知书" in template
