"""Stored calendar UIDs for meetings and deadlines, deadline SEQUENCE, feed refresh intervals.

The UUID fields are added in three steps so that every existing row gets its own value:
nullable, filled one row at a time, then unique and required.
"""

import uuid

import django.core.validators
import django.utils.timezone
from django.db import migrations, models


def fill_uids(apps, schema_editor):
    for name in ("Meeting", "Deadline"):
        model = apps.get_model("agenda", name)
        for pk in model.objects.filter(uid__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0005_agenda_change_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="deadline",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meeting",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="deadline",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="deadline",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="meeting",
            name="feed_refresh_minutes",
            field=models.PositiveSmallIntegerField(
                default=60,
                help_text="How often subscribed calendars are asked to fetch the feeds again.",
                validators=[django.core.validators.MinValueValidator(5)],
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="feed_refresh_minutes_during_meeting",
            field=models.PositiveSmallIntegerField(
                default=15,
                help_text=(
                    "The same, from the day before the meeting to its end, when changes are "
                    "urgent."
                ),
                validators=[django.core.validators.MinValueValidator(5)],
            ),
        ),
    ]
