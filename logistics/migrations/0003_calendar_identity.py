"""Stored calendar UIDs for hotel stays and travel plans, and when a booking last changed.

The UUID fields are added in three steps so that every existing row gets its own value:
nullable, filled one row at a time, then unique and required.
"""

import uuid

import django.utils.timezone
from django.db import migrations, models


def fill_uids(apps, schema_editor):
    for name in ("HotelBooking", "TravelPlan"):
        model = apps.get_model("logistics", name)
        for pk in model.objects.filter(calendar_uid__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(calendar_uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="hotelbooking",
            name="calendar_uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="travelplan",
            name="calendar_uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="hotelbooking",
            name="calendar_uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="travelplan",
            name="calendar_uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="hotelbooking",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
