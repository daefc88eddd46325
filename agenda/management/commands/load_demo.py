"""``manage.py load_demo [--today]``: load the Accra demo meeting (idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agenda import demo
from notifications.demo import load_demo_reminders


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
                "Move every date so that the expert-paper deadline falls ten days from now, "
                "keeping every interval, so reminders can be watched happening."
            ),
        )

    def handle(self, *args, today: bool = False, **options):
        local_today = timezone.localtime(timezone.now(), demo.ZONE).date() if today else None
        try:
            result = demo.load_demo(today=local_today)
        except demo.DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        meeting = result.meeting
        # The reminders sit above agenda; the command, at the top, puts the parts together.
        load_demo_reminders(meeting=meeting)
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
