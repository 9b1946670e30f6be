"""Similar matters across every door: the same party, the same respondent, or a
near-identical narrative in the same village; within the person's scope only."""
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from governance.models import Case, Region
from intake.triage import similar
from tests.factories import CaseFactory, registered_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def forget_memo():
    from intake.triage.suggestions import forget

    forget()
QINGSHAN = "339901001001"  # 青山村, 青山镇 (town_clerk's town)
QINGSHAN_GRID = "33990100100101"  # 青山村第一网格
LINHE = "339901002001"  # 临河村, 临河镇 (other_town_clerk's town)
STORY = "申请人反映，邻居在两家之间的通道上堆放柴草和杂物，影响通行，还存在火灾隐患，经多次沟通邻居均不予理会。"


def party(name, phone, id_number="", role="applicant"):
    return {"role": role, "name": name, "phone": phone, "id_number": id_number}


def test_the_same_phone_from_another_door_is_found_with_the_reason(demo, staff):
    hotline = CaseFactory(channel="hotline", region=Region.objects.get(code=QINGSHAN),
                          parties=[party("孙八", "13911112222")])
    rows = similar.similar_matters(user=staff("clerk"), phones=["13911112222"])
    assert [row.case for row in rows] == [Case.objects.get(pk=hotline.pk)]
    assert rows[0].reasons == ["同一当事人：电话 139****2222"]


def test_the_same_id_number_and_the_same_respondent(demo, staff):
    region = Region.objects.get(code=QINGSHAN)
    by_id = CaseFactory(region=region, parties=[party("周九", "13922223333", "11010519491231002X")])
    by_respondent = CaseFactory(region=region, parties=[party("吴十", "13933334444"),
                                                        party("郑一", "", role="respondent")])
    rows = similar.similar_matters(user=staff("clerk"), id_numbers=["11010519491231002X"], respondents=["郑一"],
                                   region=Region.objects.get(code=QINGSHAN_GRID))
    reasons = {row.case.pk: row.reasons for row in rows}
    assert reasons[by_id.pk] == ["同一当事人：身份证号 110105**********2X"]
    assert reasons[by_respondent.pk] == ["同一被申请人：郑一"]
    # A person's name is the same person only near by: not in another town.
    assert similar.similar_matters(user=staff("clerk"), respondents=["郑一"],
                                   region=Region.objects.get(code=LINHE)) == []


def test_a_near_identical_narrative_in_the_same_village(demo, staff):
    earlier = CaseFactory(channel="grid_report", region=Region.objects.get(code=QINGSHAN_GRID), narrative=STORY)
    CaseFactory(region=Region.objects.get(code=LINHE), narrative=STORY)  # the same words in another village
    CaseFactory(region=Region.objects.get(code=QINGSHAN), narrative="申请人反映，丈夫长期酗酒，要求离婚。")
    told_again = STORY.replace("申请人反映，", "来电人称，").replace("经多次沟通", "沟通了几次")
    rows = similar.similar_matters(user=staff("clerk"), narrative=told_again,
                                   region=Region.objects.get(code=QINGSHAN))
    assert [row.case.pk for row in rows] == [earlier.pk]
    assert rows[0].reasons[0].startswith("同一村（社区）叙述几乎相同") and rows[0].similarity >= 0.5


def test_similar_matters_respect_scope(demo, staff):
    mine = CaseFactory(channel="hotline", region=Region.objects.get(code=QINGSHAN),
                       parties=[party("孙八", "13911112222")])
    theirs = CaseFactory(channel="hotline", region=Region.objects.get(code=LINHE),
                         parties=[party("孙八", "13911112222")], narrative=STORY)
    town_clerk = [row.case.pk for row in similar.similar_matters(user=staff("town_clerk"), phones=["13911112222"])]
    assert town_clerk == [mine.pk]  # another town's matter is never shown
    county_clerk = {row.case.pk for row in similar.similar_matters(user=staff("clerk"), phones=["13911112222"])}
    assert county_clerk == {mine.pk, theirs.pk}
    assert theirs.pk not in {row.case.pk for row in similar.similar_matters(user=staff("other_town_clerk"),
                                                                         phones=["13911112222"], exclude=theirs)}


def test_only_the_last_90_days(demo, staff):
    registered_at(timezone.now() - timedelta(days=120), parties=[party("孙八", "13911112222")])
    assert similar.similar_matters(user=staff("clerk"), phones=["13911112222"]) == []


def test_the_desk_panel_and_the_matter_page(demo, client, staff):
    earlier = CaseFactory(channel="hotline", region=Region.objects.get(code=QINGSHAN),
                          parties=[party("孙八", "13911112222")])
    client.force_login(staff("town_clerk"))
    panel = client.post(reverse("intake-triage-similar"), {"applicant_phone": "139 1111 2222"}).content.decode()
    assert 'id="similar-matters"' in panel and "热线" in panel and "139****2222" in panel
    later = CaseFactory(channel="walk_in", region=Region.objects.get(code=QINGSHAN),
                        parties=[party("孙八", "13911112222")])
    page = client.get(reverse("case-detail", args=[later.pk])).content.decode()
    assert 'id="similar-matters"' in page and earlier.number in page
    assert f'data-case="{later.pk}"' not in page  # never itself


def test_the_trigram_index_serves_the_narrative_query(demo, staff):
    query = similar.narrative_query(Case.objects.restrict(staff("clerk"), "view"), STORY,
                                    Region.objects.get(code=QINGSHAN).path)
    sql, params = query.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A test database is small enough to read whole, or to walk a whole primary key;
        # forbid both to see which index serves "%" (a trigram index is read by bitmap scans).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_narrative_trgm" in plan, plan
