"""The trigram index on the narrative (similar matters, intake/triage/similar.py)
moves with the texts to ``governance_casetext`` (governance 0031): on the matter's
row, every escalation wrote an entry into it again. CONCURRENTLY, as in 0004."""
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("intake", "0007_audit_statement_triggers"),
        ("governance", "0031_case_text"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX CONCURRENTLY IF EXISTS case_narrative_trgm",
            reverse_sql="CREATE INDEX CONCURRENTLY IF NOT EXISTS case_narrative_trgm "
                        "ON governance_case USING gin (narrative gin_trgm_ops)",
        ),
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS case_narrative_trgm "
            "ON governance_casetext USING gin (narrative gin_trgm_ops)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS case_narrative_trgm",
        ),
    ]
