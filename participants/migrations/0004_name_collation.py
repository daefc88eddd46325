"""The ICU collation names are sorted by on PostgreSQL (SQLite registers its own in Python:
see participants/collation.py). Deterministic, so equal-looking names still sort stably."""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_encrypt_date_of_birth")]

    operations = [CreateCollation("egm_names", provider="icu", locale="und")]
