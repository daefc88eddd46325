"""``manage.py load_demo [--today]``: load the Accra demo meeting, every app's part of it
(idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agenda import demo


class Command(BaseCommand):
    help = (
        "Load the demo meeting (Accra, 17-19 November 2009) with 35 fictional participants. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            action="store_true",
            help=(
                "Move the meeting by whole weeks (keeping its weekdays) so that the expert-paper "
                "deadline falls at least ten days from now, and its history to before today "
                "(nobody has attended yet), so reminders can be watched happening."
            ),
        )

    def handle(self, *args, today: bool = False, **options):
        local_today = timezone.localtime(timezone.now(), demo.ZONE).date() if today else None
        try:
            result = demo.load_demo(today=local_today)
        except demo.DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        meeting = result.meeting
        if result.created or result.updated:
            summary = f"{result.created} rows created, {result.updated} updated"
        else:
            summary = "already loaded, nothing changed"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo meeting '{meeting.slug}' ({meeting.starts_on:%d %B %Y} to "
                f"{meeting.ends_on:%d %B %Y}): {summary}."
            )
        )
