"""On PostgreSQL, the database itself refuses two confirmed sessions in one room at once.

The service locks the room and checks first (with a clear message); this exclusion
constraint is the last line against a race. Other databases rely on the service alone.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE agenda_session ADD CONSTRAINT session_room_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status = 'confirmed' AND room_id IS NOT NULL);
"""
DROP = "ALTER TABLE agenda_session DROP CONSTRAINT IF EXISTS session_room_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("agenda", "0003_agenda_change")]

    operations = [migrations.RunPython(forwards, backwards)]
