"""The apps' records of the generated matters, set-based: a grid event for every
grid report in a village, a petition for every petition, and a mediation for a
share of the disputes settled or not settled (with a follow-up visit for some).

The generator (``demo.cases``) writes matters with COPY; the apps' own seeds
(``demo.mediation``, ``demo.grid``, ``demo.petitions``) walk a few dozen records
through the real services. For a county of a million matters these statements
give the apps' tables the same shape, each step consistent with the matter's
status, in seconds: one INSERT ... SELECT per table, over matters that have no
record yet (so it can run after every seed).
"""
from django.db import connection

from governance.models import Organisation, Region, User

# grid event step from the matter's status (the loop's end for finished matters), reported
# by the grid's own worker (the demo's gridworker where a grid has none)
GRID_EVENTS_SQL = """
INSERT INTO grid_gridevent (case_id, event_type_id, grid_id, reporter_id, status, reported_at, registered_at,
    dispatched_at, fed_back_at, verified_at, closed_at, evaluated_at, handling_org_id, instruction, feedback,
    verification, round, rating, rating_note, updated_at)
SELECT c.id, (%(types)s::bigint[])[1 + c.id %% %(n_types)s], g.id,
       coalesce((SELECT a.worker_id FROM grid_gridassignment a WHERE a.grid_id = g.id AND a.ended_at IS NULL
                 LIMIT 1), %(reporter)s),
       CASE c.status WHEN 'registered' THEN 'reported'
                     WHEN 'in_progress' THEN (ARRAY['registered', 'dispatched', 'handling', 'fed_back'])[1 + c.id %% 4]
                     WHEN 'terminated' THEN 'declined'
                     ELSE CASE WHEN c.id %% 3 = 0 THEN 'closed' ELSE 'evaluated' END END,
       c.created_at,
       CASE WHEN c.status <> 'registered' THEN c.created_at + interval '2 hours' END,
       CASE WHEN c.status NOT IN ('registered', 'terminated') THEN c.created_at + interval '4 hours' END,
       CASE WHEN c.resolved_at IS NOT NULL THEN c.resolved_at - interval '2 hours' END,
       CASE WHEN c.resolved_at IS NOT NULL THEN c.resolved_at - interval '1 hour' END,
       c.resolved_at, CASE WHEN c.resolved_at IS NOT NULL AND c.id %% 3 <> 0 THEN c.resolved_at END,
       CASE WHEN c.status NOT IN ('registered', 'terminated') THEN c.holder_id END, '', '', '', 1,
       CASE WHEN c.resolved_at IS NOT NULL AND c.id %% 3 <> 0 THEN 3 + c.id %% 3 END, '', c.updated_at
FROM governance_case c
JOIN governance_region r ON r.id = c.region_id AND r.depth >= 3
JOIN LATERAL (SELECT id FROM governance_region g WHERE g.depth = 4 AND g.path LIKE left(r.path, 4 * %(steplen)s) || '%%'
              ORDER BY g.path LIMIT 1) g ON true
WHERE c.kind = 'grid_event' AND c.channel = 'grid_report'
  AND NOT EXISTS (SELECT 1 FROM grid_gridevent e WHERE e.case_id = c.id)
"""

PETITIONS_SQL = """
INSERT INTO petitions_petition (case_id, step, received_on, group_size, addressed_to, office_id, link,
    forwarded_on, forwarded_to_id, accepted_on, not_accepted_on, replied_on, concluded_on, ground, reason,
    proper_channel, extension_reason, review_organ, re_review_organ, created_at, updated_at)
SELECT c.id,
       CASE c.status WHEN 'registered' THEN 'registered'
                     WHEN 'in_progress' THEN (ARRAY['forwarded', 'accepted', 'accepted'])[1 + c.id %% 3]
                     WHEN 'terminated' THEN 'not_accepted'
                     WHEN 'unresolved' THEN 'replied'
                     ELSE CASE WHEN c.status = 'closed' THEN 'concluded' ELSE 'replied' END END,
       (c.created_at AT TIME ZONE %(tz)s)::date, CASE WHEN c.id %% 40 = 0 THEN 5 + c.id %% 20 ELSE 1 END,
       '县人民政府', %(office)s, '',
       CASE WHEN c.status <> 'registered' THEN (c.created_at AT TIME ZONE %(tz)s)::date + 3 END,
       CASE WHEN c.status <> 'registered' THEN c.holder_id END,
       CASE WHEN c.status NOT IN ('registered', 'terminated') AND c.id %% 3 <> 0
            THEN (c.created_at AT TIME ZONE %(tz)s)::date + 10 END,
       CASE WHEN c.status = 'terminated' THEN (c.created_at AT TIME ZONE %(tz)s)::date + 10 END,
       CASE WHEN c.resolved_at IS NOT NULL OR c.status = 'unresolved'
            THEN (coalesce(c.resolved_at, c.updated_at) AT TIME ZONE %(tz)s)::date END,
       CASE WHEN c.status = 'closed' THEN (c.closed_at AT TIME ZONE %(tz)s)::date END,
       '', '', '', '', '', '', c.created_at, c.updated_at
FROM governance_case c
WHERE c.kind = 'petition' AND NOT EXISTS (SELECT 1 FROM petitions_petition p WHERE p.case_id = c.id)
"""

MEDIATIONS_SQL = """
INSERT INTO mediation_mediation (case_id, body_id, lead_id, status, is_joint, court_referred, opened_by_id,
    opened_at, suggestion, accepted_at, declined_reason, extension_note, outcome, outcome_at, outcome_note,
    routes, reopened_count, closed_at, updated_at)
SELECT c.id, c.holder_id, %(lead)s,
       CASE WHEN c.status = 'closed' THEN 'closed' WHEN c.resolved_at IS NOT NULL THEN 'succeeded'
            ELSE 'failed' END,
       false, false, %(lead)s, c.created_at + interval '1 day', '', c.created_at + interval '1 day', '', '',
       CASE WHEN c.resolved_at IS NOT NULL THEN 'success' ELSE 'failure' END,
       coalesce(c.resolved_at, c.updated_at), '',
       CASE WHEN c.resolved_at IS NULL THEN ARRAY['litigation']::varchar[] ELSE ARRAY[]::varchar[] END,
       0, c.closed_at, c.updated_at
FROM governance_case c
WHERE c.kind = 'dispute' AND c.status IN ('resolved', 'unresolved', 'closed') AND c.id %% 3 = 0
  AND c.created_at < now() - interval '2 days'
  AND NOT EXISTS (SELECT 1 FROM mediation_mediation x WHERE x.case_id = c.id)
"""

# The closed ones of the mediations just written (ids above ``after``) were followed up.
FOLLOW_UPS_SQL = """
INSERT INTO mediation_followup (mediation_id, method, performance, satisfaction, note, by_id, at)
SELECT m.id, CASE WHEN m.id %% 2 = 0 THEN 'phone' ELSE 'visit' END, 'fully',
       (ARRAY[5, 5, 4, 4, 3, 2])[1 + m.id %% 6], '', %(lead)s, m.outcome_at + interval '7 days'
FROM mediation_mediation m WHERE m.id > %(after)s AND m.status = 'closed'
"""


def seed_records() -> dict:
    """Write the missing app records; returns how many of each were written."""
    from django.utils import timezone

    written = {}
    gridworker = User.objects.filter(username="gridworker").values_list("pk", flat=True).first()
    mediator = User.objects.filter(username="mediator").values_list("pk", flat=True).first()
    office = Organisation.objects.filter(name="县信访局").values_list("pk", flat=True).first()
    from grid.models import EventType

    types = list(EventType.objects.filter(is_admitted=True).order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        if gridworker and types:
            cursor.execute(GRID_EVENTS_SQL, {"types": types, "n_types": len(types), "reporter": gridworker,
                                             "steplen": Region.steplen})
            written["grid_events"] = cursor.rowcount
        if office:
            cursor.execute(PETITIONS_SQL, {"office": office, "tz": timezone.get_current_timezone_name()})
            written["petitions"] = cursor.rowcount
        if mediator:
            cursor.execute("SELECT coalesce(max(id), 0) FROM mediation_mediation")
            after = cursor.fetchone()[0]
            cursor.execute(MEDIATIONS_SQL, {"lead": mediator})
            # Fresh statistics (and with them fresh plans for the foreign-key checks this
            # connection cached while the table was small) before the follow-ups point at
            # the new rows: a cached plan that scans the whole table per row is quadratic.
            cursor.execute("ANALYZE mediation_mediation")
            cursor.execute(FOLLOW_UPS_SQL, {"lead": mediator, "after": after})
            cursor.execute("SELECT count(*) FROM mediation_mediation")
            written["mediations"] = cursor.fetchone()[0]
    return written
