"""The visa letter becomes a letter of a kind (visa support or official invitation),
numbered per meeting; existing visa letters keep their references and codes."""

import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models


def fill_meeting_and_number(apps, schema_editor):
    Letter = apps.get_model("logistics", "Letter")
    numbers: dict[int, int] = {}
    for letter in Letter.objects.select_related("participant").order_by("pk"):
        meeting_id = letter.participant.meeting_id
        numbers[meeting_id] = numbers.get(meeting_id, 0) + 1
        letter.meeting_id = meeting_id
        letter.number = numbers[meeting_id]
        letter.save(update_fields=["meeting", "number"])


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0001_initial"),
        ("logistics", "0003_calendar_identity"),
        ("participants", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="visaletter", name="visa_letter_one_active"),
        migrations.RenameModel(old_name="VisaLetter", new_name="Letter"),
        migrations.AlterField(
            model_name="letter",
            name="participant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="letters",
                to="participants.participant",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="meeting",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="letters",
                to="agenda.meeting",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="kind",
            field=models.CharField(
                choices=[("visa", "Visa support letter"), ("invitation", "Official invitation letter")],
                default="visa",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="number",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="letter",
            name="passport_fingerprint",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="letter",
            name="holder_initials",
            field=models.CharField(blank=True, max_length=12),
        ),
        migrations.AddField(
            model_name="letter",
            name="holder_nationality",
            field=django_countries.fields.CountryField(blank=True, max_length=2),
        ),
        migrations.RunPython(fill_meeting_and_number, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="letter",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="letters",
                to="agenda.meeting",
            ),
        ),
        migrations.AlterField(
            model_name="letter",
            name="number",
            field=models.PositiveIntegerField(),
        ),
        migrations.AlterField(
            model_name="letter",
            name="reference",
            field=models.CharField(max_length=60),
        ),
        migrations.AlterModelOptions(name="letter", options={"ordering": ["-issued_at", "-pk"]}),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(
                fields=("meeting", "number"), name="letter_number_per_meeting"
            ),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(
                fields=("meeting", "reference"), name="letter_reference_per_meeting"
            ),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revoked_at__isnull", True)),
                fields=("participant", "kind"),
                name="letter_one_active_per_kind",
            ),
        ),
    ]
