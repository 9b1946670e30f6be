"""`make bench`, second part: the one search box and the matter list at 1,000,000 matters.

Called by scripts/bench.py after its sweep measurements, on the same database.
Requests go through the real view (URL routing, middleware, scope, filters,
keyset page, capped count, template) with Django's test client in this process,
signed in as the demo county's clerks:

  search_p95_ms     GET /cases/?q=<term> as the county clerk, for 2-4 character
                    Chinese terms, frequent and rare; < 150
  case_list_p95_ms  GET /cases/ (first page) and GET /cases/?cursor=<deep> (a page
                    half a million matters down), as the county clerk and as a town
                    clerk; < 100

The bench loads every matter with the same placeholder narrative; the first run
here gives them the demo generator's narratives, names, phones and addresses
(20,000 distinct texts, matter i gets text i % 20,000), dropping the text indexes
(on governance_casetext) while it writes and building them again after (minutes, once). The plan
of a search is written to .bench/search_explain.txt.
"""
import statistics
import sys
import time

TEXTS = 20_000
PLACEHOLDER = "压测事项"
# Two to four characters, as people type them: frequent words of the demo's narratives,
# rarer ones, and names (surname + given name) that only a few hundred matters carry.
TERMS = ["邻居", "拖欠", "工资", "噪音", "漏水", "物业费", "宅基地", "补偿款", "交通事故", "医疗纠纷", "赡养",
         "彩礼钱", "停车位"]
REPEAT = 5
LIST_REPEAT = 25


def log(message):
    print(message, file=sys.stderr, flush=True)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _generated_texts():
    """(narrative, search text without the number) of TEXTS demo matters, from the demo
    generator; the search text joined as governance.cases.texts writes it."""
    from demo.cases import CaseGenerator

    generator = CaseGenerator(2026, pool_size=5000)
    texts, times = [], generator.registration_times(TEXTS)
    for t0 in times:
        fields, parties, _events, _clock = generator.matter(t0)
        parts = [fields["address"], fields["narrative"]]
        for party in parties:
            parts += [party.name, party.phone, party.address]
        texts.append((fields["narrative"], "\n".join(part for part in parts if part)))
    return texts


def ensure_search_texts(cursor):
    cursor.execute("SELECT narrative FROM governance_case WHERE id = 1")
    if cursor.fetchone()[0] != PLACEHOLDER:
        return
    log(f"giving the matters realistic texts ({TEXTS:,} distinct; first run only)")
    started = time.monotonic()
    texts = _generated_texts()
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'governance_casetext' "
                   "AND indexdef LIKE %s", ["% USING gin %"])
    definitions = cursor.fetchall()
    for name, _definition in definitions:  # writing a million rows through GIN indexes: hours
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("CREATE TEMPORARY TABLE bench_text (n int PRIMARY KEY, narrative text, search_text text)")
    cursor.execute("INSERT INTO bench_text SELECT n - 1, narrative, search_text "
                   "FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(narrative, search_text, n)",
                   [[t[0] for t in texts], [t[1] for t in texts]])
    cursor.execute("UPDATE governance_case AS c SET narrative = t.narrative "
                   "FROM bench_text AS t WHERE t.n = c.id %% %s", [TEXTS])
    cursor.execute(
        "UPDATE governance_casetext AS x "
        "SET narrative = t.narrative, search_text = c.number || E'\\n' || t.search_text "
        "FROM bench_text AS t, governance_case AS c WHERE c.id = x.case_id AND t.n = x.case_id %% %s", [TEXTS])
    log(f"  texts written ({time.monotonic() - started:.0f}s); building the text indexes again")
    cursor.execute("DROP TABLE bench_text")
    cursor.execute("SET maintenance_work_mem = '512MB'")
    for name, definition in definitions:
        index_started = time.monotonic()
        cursor.execute(definition)
        log(f"  {name} built ({time.monotonic() - index_started:.0f}s)")
    cursor.execute("VACUUM (ANALYZE) governance_case")
    cursor.execute("VACUUM (ANALYZE) governance_casetext")


def _timed_get(client, url, params=None):
    started = time.perf_counter()
    response = client.get(url, params or {})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        sys.exit(f"GET {url} {params} answered {response.status_code}")
    return elapsed, response


def _client(username):
    from django.test import Client

    from governance.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def _deep_cursor(cursor, depth=500_000):
    from governance.cases.pagination import Position, encode

    cursor.execute("SELECT created_at, id FROM governance_case ORDER BY created_at DESC, id DESC "
                   "OFFSET %s LIMIT 1", [depth])
    created_at, pk = cursor.fetchone()
    return encode(Position(created_at, pk))


def explain_search(term, username, path):
    """The search's EXPLAIN (ANALYZE, BUFFERS), as the list view runs it (page and count)."""
    from django.db import connection, transaction

    from governance.cases.pagination import LIST_SETTINGS
    from governance.cases.selectors import case_list
    from governance.models import User

    user = User.objects.get(username=username)
    queryset = case_list(user=user, filters={"q": term}).qs
    page = queryset.order_by("-created_at", "-id")[:26]
    blocks = []
    for label, query in (("page", page), ("capped count", None)):
        if query is None:
            sql, params = queryset.order_by().values("pk")[:1001].query.sql_with_params()
            sql = f"SELECT count(*) FROM ({sql}) AS capped"
        else:
            sql, params = query.query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:  # as keyset_page runs them
            for name, value in LIST_SETTINGS.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            blocks.append(f"-- {label}: q={term!r} as {username}\n" + "\n".join(r[0] for r in cursor.fetchall()))
    with open(path, "a", encoding="utf-8") as out:
        out.write("\n\n".join(blocks) + "\n\n")


def measure(results_dir):
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # as served: no query log kept in memory
    with connection.cursor() as cursor:
        ensure_search_texts(cursor)
        deep = _deep_cursor(cursor)
    county, town = _client("clerk"), _client("town_clerk")
    for client in (county, town):  # warm-up: connection, templates, plans
        _timed_get(client, "/cases/")
        _timed_get(client, "/cases/", {"q": "邻居"})

    search, per_term = [], {}
    for term in TERMS:
        timings = [_timed_get(county, "/cases/", {"q": term})[0] for _ in range(REPEAT)]
        search += timings
        per_term[term] = round(statistics.median(timings), 1)
    log("search medians (ms): " + ", ".join(f"{t} {ms}" for t, ms in per_term.items()))

    lists = {}
    for who, client in (("county", county), ("town", town)):
        for where, params in (("first", {}), ("deep", {"cursor": deep})):
            lists[f"{who}_{where}"] = [_timed_get(client, "/cases/", params)[0] for _ in range(LIST_REPEAT)]
    everything = [ms for timings in lists.values() for ms in timings]
    log("list p95 (ms): " + ", ".join(f"{k} {percentile(v, 0.95):.1f}" for k, v in lists.items()))

    explain_path = results_dir / "search_explain.txt"
    explain_path.write_text("", encoding="utf-8")
    for term in ("噪音", "交通事故", "邻居"):
        explain_search(term, "clerk", explain_path)
    return {
        "search_p95_ms": round(percentile(search, 0.95), 1),
        "search_p50_ms": round(statistics.median(search), 1),
        "search_requests": len(search),
        "search_terms": len(TERMS),
        "case_list_p95_ms": round(percentile(everything, 0.95), 1),
        "case_list_p50_ms": round(statistics.median(everything), 1),
        "case_list_requests": len(everything),
        **{f"case_list_{key}_p95_ms": round(percentile(value, 0.95), 1) for key, value in lists.items()},
    }
