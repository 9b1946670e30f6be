"""One auth group per role with exactly the role table's permissions
(governance.people.roles). The same function runs after every ``migrate``
(GovernanceConfig's post_migrate handler): the table in code is the source, and
this migration is only its first application on a database."""
from django.db import migrations

from governance.people.roles import sync_role_groups


def sync(apps, schema_editor):
    # Other apps' permissions may not exist yet here: the post_migrate run adds them.
    sync_role_groups(apps=apps, using=schema_editor.connection.alias, warn=False)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0015_case_roles_and_grant_purpose"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Going back leaves the groups: they are harmless, and the users are in them.
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
