"""A big demo load drops the indexes of the tables it writes and builds them again after:
what comes back must be exactly what the migrations made."""
import pytest
from django.db import connection

from demo.copy import LOAD_TABLES, without_indexes


def indexes():
    """(table, index, definition) of the load's tables. A partial index's condition is cut
    to "WHERE": PostgreSQL prints the one it parsed again from its own output differently
    (``ARRAY[('a'::varchar)::text]`` for ``(ARRAY['a'::varchar])::text[]``), the same
    condition, as the planner's use of the rebuilt index shows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
                       [LOAD_TABLES])
        return {(table, name, definition.split(" WHERE ")[0] + (" WHERE" if " WHERE " in definition else ""))
                for table, name, definition in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)  # the builders run in threads, on connections of their own
def test_the_indexes_dropped_for_a_load_come_back_exactly():
    before = indexes()
    rebuild = without_indexes()
    during = indexes()
    names = {name for _table, name, _definition in during}
    # Left in place: what enforces something, and the parties' index by matter the load reads.
    assert {"governance_case_pkey", "governance_case_number_key", "governance_casetext_pkey"} <= names
    assert any(table == "governance_party" and definition.endswith("USING btree (case_id)")
               for table, _name, definition in during)
    dropped = {name for _table, name, _definition in before - during}
    assert {"case_search_trgm", "case_search_bigrams", "case_narrative_trgm", "case_created_id",
            "caseevent_case_at", "party_respondent_name"} <= dropped
    rebuild(progress=False)
    after = indexes()
    assert after == before, {"missing": before - after, "extra": after - before}
