"""Indexes for similar matters (intake/triage/similar.py) on the core's tables,
kept with the app that queries them: a trigram index on the narrative, which
serves ``narrative % text`` (near-identical narratives), and the respondents'
names. CONCURRENTLY, so a county's live database keeps taking matters meanwhile."""
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("intake", "0003_triage_models"),  # pg_trgm itself comes with governance 0001
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS case_narrative_trgm "
            "ON governance_case USING gin (narrative gin_trgm_ops)",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS case_narrative_trgm",
        ),
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS party_respondent_name "
            "ON governance_party (name) WHERE role = 'respondent'",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS party_respondent_name",
        ),
    ]
