"""The one search box and the matter lists, as a county with millions of matters needs
them: the search served by its indexes (trigram for three characters and more, bigram
for two), keyset pages whose cost does not grow with depth, and a capped count."""
import pytest
from django.db import connection
from django.urls import reverse

from governance.cases import pagination
from governance.cases.selectors import case_queryset
from governance.models import Case, User
from tests.factories import CaseFactory


def plan(queryset, *, bitmap_only=False):
    """EXPLAIN with sequential scans priced out: which index can serve the query at all.
    ``bitmap_only``: plain index scans too, since on a handful of rows walking a whole
    primary key and filtering is cheapest (a text index is read by bitmap scans only)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmap_only:
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("term", "index"), [("漏水严重", "case_search_trgm"), ("1234", "case_search_trgm"),
                                             ("漏水", "case_search_bigrams"), ("欠薪", "case_search_bigrams")])
def test_the_search_is_served_by_its_index(demo, term, index):
    """icontains became UPPER(search_text) LIKE ..., which no index on the column serves;
    and pg_trgm takes no trigram from a two-character word."""
    assert index in plan(Case.objects.search(term).order_by().values("pk"), bitmap_only=True)


def test_the_matter_row_carries_no_text_index(db):
    """Each escalation writes the matter's row again, with an entry in every index of the
    table; the text indexes are on CaseText, written once (the sweep's bench: 5.7 s for
    10,000 escalations with them on the matter, 1.8 s without)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname FROM pg_indexes WHERE indexdef LIKE %s "
                       "AND tablename IN ('governance_case', 'governance_casetext')", ["% USING gin %"])
        text_indexes = cursor.fetchall()
    assert sorted(text_indexes) == [("governance_casetext", name) for name in
                                    ("case_narrative_trgm", "case_search_bigrams", "case_search_trgm")]


@pytest.mark.parametrize("term", ["漏水", "欠薪", "欧阳", "物业"])
def test_two_character_terms_find_what_contains_them(demo, term):
    found = CaseFactory(narrative="申请人反映楼上漏水，物业拒绝维修，另有欠薪问题",
                        parties=[{"role": "applicant", "name": "欧阳娜娜", "phone": "13900001234"}])
    other = CaseFactory(narrative="邻里之间因为停车发生口角")
    hits = set(Case.objects.search(term).values_list("pk", flat=True))
    assert found.pk in hits and other.pk not in hits


@pytest.mark.parametrize(("text", "pieces"), [
    ("邻居噪音", ["噪音", "居噪", "邻居"]),
    ("  漏水 严重\n\t王建国 13912345678 ", ["严重", "建国", "漏水", "王建"]),
    ("青山镇桃源村1组39号，其承包的工程", ["青山", "山镇", "镇桃", "桃源", "源村",
                                        "其承", "承包", "包的", "的工", "工程"]),
    ("𠮷王 A座 12 ５号", ["𠮷王"]),  # a character beyond the basic plane counts; fullwidth digits do not
    ("a b", []), ("", []), ("\u3000欠薪\u3000", ["欠薪"]),
])
def test_the_bigrams_are_the_pairs_of_chinese_characters(db, text, pieces):
    """What the bigram index holds for a text: every pair of neighbouring Chinese
    characters, never across anything else (digits, letters, punctuation, whitespace)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT governance_bigrams(%s)", [text])
        assert sorted(cursor.fetchone()[0]) == sorted(pieces)


@pytest.mark.parametrize("term", ["水", "12", "A座", "1组", "，其", "ab"])
def test_a_search_too_short_for_any_index_is_a_chinese_message(demo, client, staff, term):
    client.force_login(staff("clerk"))
    response = client.get(reverse("case-list"), {"q": term})
    assert response.status_code == 200
    assert "搜索请输入两个汉字，或至少三个字符。" in response.content.decode()
    assert api_status(staff, {"q": term}) == 400


@pytest.mark.parametrize("term", ["欠薪", "𠮷王", "A座1", "139"])
def test_two_chinese_characters_or_three_of_any_kind_are_searched(demo, staff, term):
    assert api_status(staff, {"q": term}) == 200


def api_status(staff, params):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff("clerk"))
    return api.get("/api/v1/cases/", params).status_code


def test_keyset_pages_walk_every_matter_once_both_ways(demo, staff):
    for _ in range(7):
        CaseFactory()
    user = staff("admin")
    everything = list(case_queryset(user=user).order_by("-created_at", "-id").values_list("pk", flat=True))
    seen, cursor, pages = [], None, []
    while True:
        page = pagination.keyset_page(case_queryset(user=user), cursor=cursor, size=3)
        seen += [case.pk for case in page.rows]
        pages.append(page)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == everything and len(pages) >= 3
    back = pagination.keyset_page(case_queryset(user=user), cursor=pages[-1].previous_cursor, size=3)
    assert [case.pk for case in back.rows] == [case.pk for case in pages[-2].rows]
    assert pages[0].previous_cursor is None


def test_a_deep_page_seeks_instead_of_skipping(demo, staff):
    CaseFactory(), CaseFactory()
    first = pagination.keyset_page(case_queryset(user=staff("admin")), cursor=None, size=1)
    position = pagination.decode(first.next_cursor)
    rows = case_queryset(user=staff("admin")).order_by("-created_at", "-id")
    from django.db.models import F, Value
    from django.db.models.lookups import LessThan

    deep = rows.filter(LessThan(pagination._row(F("created_at"), F("id")),
                                pagination._row(Value(position.created_at), Value(position.pk))))[:26]
    explained = plan(deep)
    assert "case_created_id" in explained and "OFFSET" not in str(deep.query)
    assert "ROW(" in explained  # the position is an index condition, not a filter after a scan


def test_the_count_stops_at_the_cap(demo, staff, monkeypatch, client):
    for _ in range(4):
        CaseFactory()
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination.capped_count, "__defaults__", (3,))
    client.force_login(staff("admin"))
    page = client.get(reverse("case-list")).content.decode()
    assert "超过 3 件事项" in page
    body = api_get(staff, {})
    assert (body["count"], body["count_capped"]) == (3, True)


def api_get(staff, params):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff("admin"))
    return api.get("/api/v1/cases/", params).json()


def test_the_page_and_the_api_follow_their_links(demo, staff, client, monkeypatch):
    monkeypatch.setattr("governance.cases.views.PAGE_SIZE", 2)
    for _ in range(5):
        CaseFactory()
    client.force_login(staff("admin"))
    everything = list(Case.objects.order_by("-created_at", "-id").values_list("number", flat=True))
    body = api_get(staff, {"page_size": 2})
    assert [row["number"] for row in body["results"]] == everything[:2] and body["previous"] is None
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff("admin"))
    second = api.get(body["next"]).json()
    assert [row["number"] for row in second["results"]] == everything[2:4]
    assert [row["number"] for row in api.get(second["previous"]).json()["results"]] == everything[:2]
    assert api.get("/api/v1/cases/", {"cursor": "not-a-cursor"}).status_code == 400
    html = client.get(reverse("case-list")).content.decode()
    assert 'id="case-pages"' in html and "cursor=" in html
    # A mangled cursor in a page link starts from the newest instead of failing.
    assert client.get(reverse("case-list"), {"cursor": "%%%"}).status_code == 200


def test_the_scope_is_tested_against_ids_not_joins(demo, staff):
    """Each row is checked against the subtree's place and organisation ids, computed
    once (ANY(ARRAY(subquery))), so walking the newest matters costs no join per row."""
    sql = str(Case.objects.restrict(User.objects.get(username="town_clerk")).query)
    assert '"region_id" = ANY(ARRAY(SELECT' in sql and '"holder_id" = ANY(ARRAY(SELECT' in sql
    assert "JOIN" not in sql.split("WHERE")[0]


def test_the_home_figures_are_capped_counts_in_one_statement(demo, staff, client, monkeypatch,
                                                            django_assert_max_num_queries):
    """Seven COUNTs over every matter in scope on each visit: now each stops at the cap."""
    from governance.dashboards import home

    for _ in range(3):
        CaseFactory()
    summary = home.capped_counts({"all": Case.objects.all(), "none": Case.objects.none()}, cap=2)
    assert (str(summary["all"]), summary["all"].capped, bool(summary["none"])) == ("2+", True, False)
    monkeypatch.setattr(home, "COUNT_CAP", 2)
    monkeypatch.setattr(home.capped_counts, "__defaults__", (2,))
    admin = staff("admin")
    with django_assert_max_num_queries(1) as captured:
        figures = home.home_summary(user=admin)["counts"]
    assert "LIMIT 3" in captured.captured_queries[0]["sql"]
    assert str(figures["open"]) == "2+" and str(figures["registered_today"]) == "2+"
    client.force_login(staff("admin"))
    assert '<div class="stat-value">2+</div>' in client.get("/").content.decode()


def test_the_bell_stops_counting_at_99(demo, staff, client):
    from governance.models import Notification

    case = CaseFactory()
    clerk = staff("village_mediator")
    Notification.objects.bulk_create([Notification(organisation=clerk.organisation, case=case, kind="dispatched")
                                      for _ in range(120)])
    client.force_login(clerk)
    page = client.get(reverse("inbox")).content.decode()
    assert 'data-unread="99">99+<' in page
