"""The ICU collation names are sorted by on PostgreSQL (SQLite registers its own in Python:
see participants/collation.py). Deterministic, so equal-looking names still sort stably."""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class CreateCollationOnPostgres(CreateCollation):
    """CreateCollation skips other databases going forwards but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_encrypt_date_of_birth")]

    operations = [CreateCollationOnPostgres("egm_names", provider="icu", locale="und")]
