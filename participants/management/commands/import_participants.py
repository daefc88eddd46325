"""python manage.py import_participants <meeting-slug> <file.csv|file.xlsx> [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.models import Meeting
from participants.importing import ImportRejected, describe_outcomes, import_participants


class Command(BaseCommand):
    help = (
        "Import the invitee list of a meeting from CSV or XLSX. Every row is checked first; "
        "one bad row and nothing is written. Rows are matched by email, so re-importing "
        "updates participants instead of duplicating them."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", help="The meeting's slug.")
        parser.add_argument("file", help="Path to the .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, meeting: str, file: str, dry_run: bool, **options):
        try:
            target = Meeting.objects.get(slug=meeting)
        except Meeting.DoesNotExist:
            raise CommandError(f"No meeting has the slug '{meeting}'.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            summary = import_participants(
                meeting=target, data=path.read_bytes(), filename=path.name, dry_run=dry_run
            )
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{path.name} was not imported: {len(rejected.errors)} "
                f"problem{'s' if len(rejected.errors) != 1 else ''} found; nothing was written."
            ) from None
        if dry_run:
            for line in describe_outcomes(summary):
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(str(summary)))
