"""The one search box and the lists at a million matters.

* ``governance_bigrams(text)``: the distinct two-character pieces of a text, whitespace
  excluded, and a GIN index over it: pg_trgm extracts no trigram from a two-character
  term, and most Chinese search words have two characters (噪音, 漏水, 欠薪).
* ``(created_at DESC, id DESC)`` replaces ``created_at DESC``: the lists' order and
  their keyset pages, id breaking ties between matters registered in the same instant.

Both indexes are built CONCURRENTLY (the migration is not atomic), so a county's
registrations go on while they build.
"""
import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

# IMMUTABLE (same text, same pieces), so it may back an index; STRICT: NULL in, NULL out.
BIGRAMS = r"""
CREATE OR REPLACE FUNCTION governance_bigrams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT coalesce(array_agg(DISTINCT piece), '{}')
    FROM (SELECT substr(value, i, 2) AS piece FROM generate_series(1, char_length(value) - 1) AS i) AS pieces
    WHERE piece !~ '\s'
$$
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('governance', '0021_case_resolution_facts'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='case',
            options={'ordering': ['-created_at', '-id'], 'permissions': [('supervise_case', 'Can supervise matters')], 'verbose_name': 'matter', 'verbose_name_plural': 'matters'},
        ),
        migrations.RunSQL(BIGRAMS, "DROP FUNCTION IF EXISTS governance_bigrams(text)"),
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['-created_at', '-id'], name='case_created_id'),
        ),
        RemoveIndexConcurrently(
            model_name='case',
            name='case_created',
        ),
        AddIndexConcurrently(
            model_name='case',
            index=django.contrib.postgres.indexes.GinIndex(models.Func(models.F('search_text'), function='governance_bigrams', output_field=django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), size=None)), name='case_search_bigrams'),
        ),
    ]
