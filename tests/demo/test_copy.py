"""A big demo load drops the indexes of the tables it writes and builds them again after:
what comes back must be exactly what the migrations made."""
import pytest
from django.db import connection

from demo.copy import LOAD_TABLES, without_indexes


def indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
                       [LOAD_TABLES])
        return set(cursor.fetchall())


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
