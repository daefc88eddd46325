"""Dates of birth encrypted at rest, keeping every stored value.

The plain date column is copied into a new encrypted column, row by row, then replaces it;
reversing decrypts back into a plain date column.
"""

from django.db import migrations, models

import participants.fields


def encrypt(apps, schema_editor):
    Registration = apps.get_model("participants", "Registration")
    for registration in Registration.objects.exclude(date_of_birth=None).only(
        "pk", "date_of_birth"
    ):
        Registration.objects.filter(pk=registration.pk).update(
            date_of_birth_encrypted=registration.date_of_birth
        )


def decrypt(apps, schema_editor):
    Registration = apps.get_model("participants", "Registration")
    for registration in Registration.objects.only("pk", "date_of_birth_encrypted"):
        Registration.objects.filter(pk=registration.pk).update(
            date_of_birth=registration.date_of_birth_encrypted
        )


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0002_personal_data_history_and_deletion_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="date_of_birth_encrypted",
            field=participants.fields.EncryptedDateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="registration",
            name="date_of_birth",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.RemoveField(model_name="registration", name="date_of_birth"),
        migrations.RenameField(
            model_name="registration",
            old_name="date_of_birth_encrypted",
            new_name="date_of_birth",
        ),
    ]
