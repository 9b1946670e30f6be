"""The demo load's COPY: what it writes reads back exactly, and the indexes and foreign
keys a big load drops come back exactly as the migrations made them."""
from datetime import datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, connection, transaction

from demo.cases import EVENT_COLUMNS, PARTY_COLUMNS
from demo.copy import LOAD_TABLES, copy_buffer, without_foreign_keys, without_indexes, write_buffers
from governance.models import CaseEvent, Party
from tests.factories import CaseFactory

AWKWARD = ['逗号,引号"和反斜杠\\', "换行\n第二行\r\n第三行", "制表\t符", "", "\\N", "NULL", '"', " 前后空格 "]


def test_copy_writes_awkward_values_back_exactly(demo):
    case = CaseFactory()
    registered = set(Party.objects.filter(case=case).values_list("pk", flat=True))
    parties = [(case.pk, "applicant", text, "", "13900001234", text) for text in AWKWARD]
    at = datetime(2027, 2, 6, 23, 59, 59, 123456, tzinfo=timezone(timedelta(hours=8)))  # Spring Festival eve
    events = [(case.pk, "note", "", "", "", "", None, None, text, index % 2 == 0, None,
               {"说明": text, "n": index, "list": [1, None]} if index else {}, at + timedelta(days=index))
              for index, text in enumerate(AWKWARD)]
    write_buffers([copy_buffer(Party, PARTY_COLUMNS, parties), copy_buffer(CaseEvent, EVENT_COLUMNS, events)])
    written = Party.objects.filter(case=case).exclude(pk__in=registered).order_by("id")
    assert [(p.name, p.id_number, p.address) for p in written] == [(text, "", text) for text in AWKWARD]
    read = CaseEvent.objects.filter(case=case, type="note").order_by("id")
    assert [(e.note, e.is_public, e.actor_id, e.from_holder_id, e.data, e.at) for e in read] == [
        (row[8], row[9], None, None, row[11], row[12]) for row in events]


def test_copy_refuses_a_nullable_text_column(db):
    """An empty string would come back as NULL there."""
    field = Party._meta.get_field("address")
    field.null = True
    try:
        with pytest.raises(ValueError, match="nullable text"):
            copy_buffer(Party, ["case_id", "address"], [(1, "")])
    finally:
        field.null = False


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


def foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
                       "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)", [LOAD_TABLES])
        return set(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_the_foreign_keys_dropped_for_a_load_come_back_checked(demo_transactional):
    before = foreign_keys()
    assert ("governance_party", "FOREIGN KEY (case_id) REFERENCES governance_case(id) DEFERRABLE INITIALLY DEFERRED"
            ) in {(table, definition) for table, _name, definition, _valid in before}
    assert len(before) == 11
    restore = without_foreign_keys()
    assert foreign_keys() == set()
    restore()
    assert foreign_keys() == before and all(valid for *_rest, valid in before)


@pytest.mark.django_db(transaction=True)
def test_a_load_that_broke_a_foreign_key_is_refused_and_new_rows_are_still_checked(demo_transactional):
    restore = without_foreign_keys()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO governance_party (case_id, role, name, id_number, phone, address) "
                       "VALUES (987654321, 'applicant', '孤儿', '', '', '')")
    try:
        with pytest.raises(IntegrityError):
            restore()
        # The key is there, not yet valid: what is written now is checked.
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO governance_party (case_id, role, name, id_number, phone, address) "
                           "VALUES (987654322, 'applicant', '又一个', '', '', '')")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM governance_party WHERE case_id >= 987654321")
            cursor.execute("SELECT conrelid::regclass::text, conname FROM pg_constraint "
                           "WHERE contype = 'f' AND NOT convalidated")
            for table, name in cursor.fetchall():  # the next tests need the schema whole again
                cursor.execute(f'ALTER TABLE "{table}" VALIDATE CONSTRAINT "{name}"')
