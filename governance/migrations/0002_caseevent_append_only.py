"""The timeline is append-only: the database itself refuses to edit or delete an event."""
from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION governance_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline events are append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER caseevent_append_only
    BEFORE UPDATE OR DELETE ON governance_caseevent
    FOR EACH ROW EXECUTE FUNCTION governance_caseevent_append_only();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS caseevent_append_only ON governance_caseevent;
DROP FUNCTION IF EXISTS governance_caseevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
