"""A matter's texts for the search box and the similar-matter lookup (``CaseText``),
written in one set-based statement from the matter and its parties: by registration
for one matter, by the demo generator for a whole chunk. Search looks through the
number, the address, the narrative and each party's name, phone and address."""
from django.db import connection

WRITE_SQL = r"""
INSERT INTO governance_casetext (case_id, narrative, search_text)
SELECT c.id, c.narrative,
       concat_ws(E'\n', c.number, nullif(c.address, ''), nullif(c.narrative, ''), p.text)
FROM governance_case AS c
LEFT JOIN LATERAL (
    SELECT string_agg(nullif(concat_ws(E'\n', nullif(name, ''), nullif(phone, ''), nullif(address, '')), ''),
                      E'\n' ORDER BY id) AS text
    FROM governance_party WHERE case_id = c.id
) AS p ON true
WHERE c.id = ANY(%s)
"""


def write_case_texts(case_ids):
    """The texts of the matters ``case_ids`` (registered, their parties saved)."""
    with connection.cursor() as cursor:
        cursor.execute(WRITE_SQL, [list(case_ids)])
