"""``manage.py ensure_organiser``: the demo organiser's account, and how to sign in with it."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from agenda.demo import DEMO_SLUG
from agenda.models import Meeting
from participants.organisers import ensure_organiser

PASSWORD_FILE = "organiser-password.txt"  # noqa: S105 (a file name, not a password)


class Command(BaseCommand):
    help = (
        "Create or keep the organiser account (staff, Organisers group), add it to the demo "
        "meeting's organisers, and print the login URL, email and password. The password "
        "comes from ORGANISER_PASSWORD, else from var/organiser-password.txt, else it is "
        "generated once and stored there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="organiser@example.org")
        parser.add_argument(
            "--meeting",
            action="append",
            dest="meetings",
            metavar="SLUG",
            help=f"Meeting the account organises (repeatable; default {DEMO_SLUG}).",
        )
        parser.add_argument(
            "--superuser", action="store_true", help="Also make the account a superuser."
        )

    def handle(self, *args, email: str, meetings, superuser: bool, **options):
        slugs = meetings or [DEMO_SLUG]
        found = list(Meeting.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {meeting.slug for meeting in found})
        if meetings and missing:
            raise CommandError(f"No meeting with the slug {', '.join(missing)}; nothing changed.")
        password = self._password()
        user, created = ensure_organiser(
            email=email, password=password, meetings=found, superuser=superuser
        )
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"The demo meeting is not loaded yet (run load_demo); {email} organises "
                    "no meeting for now."
                )
            )
        login_url = f"{settings.SITE_URL}{reverse('account_login')}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Organiser account {'created' if created else 'ready'}.\n"
                f"  Sign in at: {login_url}\n"
                f"  Email:      {user.email}\n"
                f"  Password:   {password}"
            )
        )
        for meeting in found:
            trackers = [
                reverse(name, kwargs={"slug": meeting.slug})
                for name in (
                    "participants:dashboard",
                    "participants:tracker",
                    "agenda:organise",
                    "papers:tracker",
                )
            ]
            self.stdout.write(
                f"  {meeting}: " + ", ".join(f"{settings.SITE_URL}{path}" for path in trackers)
            )

    def _password(self) -> str:
        from_env = os.environ.get("ORGANISER_PASSWORD", "").strip()
        if from_env:
            return from_env
        path = Path(settings.VAR_DIR) / PASSWORD_FILE
        if path.exists():
            stored = path.read_text().strip()
            if stored:
                return stored
        password = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(password + "\n")
        return password
