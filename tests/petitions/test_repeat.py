"""Repeat petitions linked to the original, at the window and in the API, offered
as the intake desk offers a repeat visit; a new petition on final facts recorded
as not accepted (art. 36); a matter handled below not accepted above (art. 19);
and the first-visit resolution rate on a small known data set."""
from datetime import date

from governance.models import Case, Category, Notification, Organisation, Region
from petitions import selectors, services
from petitions.models import Petition, PetitionDocument
from tests.factories import CaseFactory
from tests.petitions.helpers import on_day, org, person, register_letter, user

OPINION = "经核实，补偿款已按标准发放完毕。"


def to_final(case_id, *, start=date(2026, 1, 5)):
    """Walk a petition to final (re-review decided) through the services."""
    handler, clerk = user("handler"), user("petition_clerk")
    steps = [
        (start.replace(day=6), lambda d: services.petition_forward(case_id=case_id, actor=clerk, to=org("县人社局"),
                                                                  forwarded_on=d)),
        (start.replace(day=12), lambda d: services.petition_accept(case_id=case_id, actor=handler, decided_on=d,
                                                                  served_on=d, service="in_person")),
        (date(2026, 2, 9), lambda d: services.petition_reply(case_id=case_id, actor=handler, opinion=OPINION,
                                                            decided_on=d, served_on=d, service="post")),
        (date(2026, 2, 24), lambda d: services.petition_request_review(case_id=case_id, actor=clerk,
                                                                      requested_on=d)),
        (date(2026, 3, 20), lambda d: services.petition_decide_review(case_id=case_id, actor=clerk, opinion="维持",
                                                                     decided_on=d, served_on=d, service="in_person")),
        (date(2026, 4, 10), lambda d: services.petition_request_re_review(case_id=case_id, actor=clerk,
                                                                         requested_on=d)),
        (date(2026, 5, 6), lambda d: services.petition_decide_re_review(
            case_id=case_id, actor=clerk, opinion="维持", decided_on=d, served_on=d, service="in_person")),
    ]
    for day, step in steps:
        with on_day(day):
            step(day)
    return Petition.objects.get(pk=case_id)


def candidates_of(client, **body):
    return client.post("/api/v1/petitions/candidates/", {"category": "labour", **body}, format="json")


def test_the_same_petitioner_again_is_offered_and_counted_as_a_repeat(db, api_as):
    original = register_letter(date(2026, 11, 2)).case
    client = api_as("petition_clerk")
    with on_day(date(2026, 11, 9)):
        offered = candidates_of(client, phones=["13912348888"]).json()
        assert [(c["id"], c["link"]) for c in offered] == [(original.pk, "repeat_visit")]
        assert candidates_of(client, phones=["13900001111"]).json() == []
        assert candidates_of(client, phones=["13912348888"], category="debt").json() == []
        before = Case.objects.count()
        response = client.post("/api/v1/petitions/", {
            "received_on": "2026-11-09", "channel": "walk_in", "addressed_to": "县人民政府",
            "narrative": "再次反映工资未发。", "category": "labour", "region": "339901001002",
            "petitioners": [person()], "repeat_of": original.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "repeat_visit" and response.json()["id"] == original.pk
    assert response.json()["visit_count"] == 2
    assert Case.objects.count() == before  # no new matter: the visit counts on the original


def test_a_new_petition_on_final_facts_is_recorded_as_not_accepted(db, api_as):
    final = to_final(register_letter(date(2026, 1, 5)).case.pk)
    assert final.step == "final"
    client = api_as("petition_clerk")
    with on_day(date(2026, 6, 1)):
        offered = candidates_of(client, id_numbers=["11010519491231002X"]).json()
        assert [(c["id"], c["link"]) for c in offered] == [(final.pk, "final")]
        response = client.post("/api/v1/petitions/", {
            "received_on": "2026-06-01", "channel": "walk_in", "addressed_to": "县人民政府",
            "narrative": "仍然反映工资问题，要求重新处理。", "category": "labour", "region": "339901001001",
            "petitioners": [person()], "repeat_of": final.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "not_accepted" and body["status"] == "not_accepted"
    assert body["link"] == "final" and body["ground"] == "final" and body["original"] == final.pk
    assert "第三十六条" in body["reason"] and final.case.number in body["reason"] and "2026年5月6日" in body["reason"]
    assert body["case_status"] == "terminated"
    notice = PetitionDocument.objects.get(petition_id=body["id"])
    assert notice.kind == "non_acceptance" and notice.served_on == date(2026, 6, 1)  # handed over at the window
    assert "第三十六条" in notice.body
    assert Case.objects.get(pk=final.pk).visit_count == 2
    # A first petition it is not: it stays out of the first-visit rate and into the backlog's count of visits.
    assert selectors.first_visit_rate(user=user("petition_clerk"))["first"] == 1


def test_a_matter_handled_below_is_not_accepted_above_and_the_petitioner_told_where(db, api_as):
    town = Organisation.objects.get(name="青山镇社会治理中心")
    below = CaseFactory(region=Region.objects.get(code="339901001001"), holder=town,
                        category=Category.objects.get(code="labour"),
                        parties=[{"role": "applicant", "name": "王建国", "phone": "13912348888"}])
    client = api_as("petition_clerk")
    with on_day(date(2026, 11, 30)):
        offered = candidates_of(client, phones=["13912348888"]).json()
        assert [(c["id"], c["link"]) for c in offered] == [(below.pk, "handled_below")]
        # Only those who register petitions may look: it shows matters they otherwise do not see.
        assert candidates_of(api_as("handler"), phones=["13912348888"]).status_code == 403
        client = api_as("petition_clerk")
        response = client.post("/api/v1/petitions/", {
            "received_on": "2026-11-30", "channel": "letter", "addressed_to": "县人民政府",
            "narrative": "镇里处理太慢，要求县里解决。", "category": "labour", "region": "339901001001",
            "petitioners": [person()], "repeat_of": below.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "not_accepted" and body["ground"] == "handled_below" and body["link"] == "handled_below"
    assert "第十九条" in body["reason"] and "青山镇社会治理中心" in body["proper_channel"]
    assert body["documents"][0]["served_on"] is None  # a letter: the notice goes by post, service recorded later
    told = Notification.objects.get(case=below, kind="message")
    assert "第十九条" in told.note and town.pk == told.organisation_id


def test_the_first_visit_resolution_rate_on_a_small_known_data_set(db, api_as, client, staff):
    """一次性化解率 = first-time petitions settled at the first visit / first-time petitions."""
    handler, clerk = user("handler"), user("petition_clerk")

    def replied(received, phone):
        case_id = register_letter(received, petitioners=[person(phone=phone, id_number="")]).case.pk
        with on_day(received):
            services.petition_forward(case_id=case_id, actor=clerk, to=org("县人社局"), forwarded_on=received)
            services.petition_accept(case_id=case_id, actor=handler, decided_on=received, served_on=received,
                                     service="in_person")
            services.petition_reply(case_id=case_id, actor=handler, opinion=OPINION, decided_on=received,
                                    served_on=received, service="in_person")
        return case_id

    settled_a = replied(date(2026, 3, 2), "13900000101")  # answered, never came back: settled
    settled_b = replied(date(2026, 3, 3), "13900000102")  # likewise
    came_again = replied(date(2026, 3, 4), "13900000103")
    register_letter(date(2026, 3, 9), petitioners=[person(phone="13900000103", id_number="")],
                    repeat_of=came_again)  # a repeat visit on it: not settled at the first visit
    reviewed = to_final(register_letter(date(2026, 1, 5), petitioners=[person(phone="13900000104",
                                                                             id_number="")]).case.pk).pk
    open_one = register_letter(date(2026, 3, 5), petitioners=[person(phone="13900000105", id_number="")]).case.pk
    refused = register_letter(date(2026, 3, 6), petitioners=[person(phone="13900000106", id_number="")]).case.pk
    with on_day(date(2026, 3, 6)):
        services.petition_not_accept(case_id=refused, actor=clerk, decided_on=date(2026, 3, 6),
                                     reason="属于诉讼事项", proper_channel="请向人民法院起诉。",
                                     served_on=date(2026, 3, 6), service="in_person")
    # Two records that are not first petitions: the same facts as the final one (art. 36) ...
    register_letter(date(2026, 6, 1), petitioners=[person(phone="13900000104", id_number="")], repeat_of=reviewed)
    assert Petition.objects.count() == 7  # 6 first-time + 1 tied to an earlier matter

    # First-time: settled_a, settled_b, came_again, reviewed, open_one, refused = 6; settled at the first
    # visit: settled_a and settled_b = 2 (came_again came back, reviewed asked for a review, open_one is not
    # answered, refused was not accepted). 2 / 6 = 33.33 %.
    rate = selectors.first_visit_rate(user=clerk)
    assert rate == {"first": 6, "settled": 2, "rate": 33.33}
    assert {settled_a, settled_b} == set(Petition.objects.filter(case__visit_count=1, case__status="resolved",
                                                                  review_requested_on__isnull=True)
                                         .values_list("pk", flat=True))
    assert api_as("petition_clerk").get("/api/v1/petitions/first-visit-rate/?since=2026-01-01").json() == rate
    # Received in March only: the four replied or refused in March and the open one; 2 / 5 = 40 %.
    assert selectors.first_visit_rate(user=clerk, since=date(2026, 3, 1), until=date(2026, 3, 31))["rate"] == 40.0
    client.force_login(staff("leader"))
    page = client.get("/petitions/stats/?since=2026-01-01&until=2026-12-31").content.decode()
    assert "33.33%" in page and "一次性化解率" in page
    assert open_one
