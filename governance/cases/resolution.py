"""The resolution facts (Case.resolve) for matters written without the service:
rows loaded in bulk (the demo generator's COPY) or resolved before the fields existed."""
from django.db import connection

# Set-based, for matters resolved but without their facts. The tier and holder are
# the current ones (only open matters move), the deadline too; a repeat visit counts
# against the first visit only if the timeline has it before the resolution.
BACKFILL = """
UPDATE governance_case AS c
SET resolved_tier = c.tier, resolved_holder_id = c.holder_id,
    resolved_on_time = CASE WHEN c.deadline IS NULL THEN NULL ELSE c.resolved_at <= c.deadline END,
    settled_at_first_visit = NOT EXISTS (
        SELECT 1 FROM governance_caseevent AS e
        WHERE e.case_id = c.id AND e.type = 'repeat_visit' AND e.at < c.resolved_at)
WHERE c.resolved_at IS NOT NULL AND c.resolved_tier = ''
"""


def backfill_resolution_facts() -> int:
    """Fill the resolution facts where they are missing; returns how many matters."""
    with connection.cursor() as cursor:
        cursor.execute(BACKFILL)
        return cursor.rowcount
