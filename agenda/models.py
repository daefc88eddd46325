"""The meeting and its programme: where, when, what happens in which room, and by when."""

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from .text import CleanCharField


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "%(value)s is not an IANA time zone name (for example Africa/Accra).",
            params={"value": value},
            code="invalid_time_zone",
        )


class Venue(models.Model):
    name = CleanCharField(max_length=200)
    address = models.TextField(blank=True)
    city = models.CharField(max_length=100)
    country = CountryField()
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    # Who added it: an organiser sees the venues their meetings use and those they added,
    # so a venue they just created can be chosen for their meeting.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = CleanCharField(max_length=100)
    capacity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["venue", "name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_unique_name_per_venue")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.venue.name})"


class MeetingQuerySet(models.QuerySet):
    def organised_by(self, user) -> "MeetingQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(organisers=user)


class Meeting(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = CleanCharField(max_length=300)
    short_title = CleanCharField(max_length=120, blank=True)
    purpose = models.TextField(help_text="Why the meeting is held: shown on the public page.")
    organiser = models.CharField(max_length=300, help_text="Organising body, e.g. DSPD, UN DESA.")
    host = models.CharField(max_length=300, blank=True, help_text="Host government or partner.")
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="IANA name of the zone the meeting runs in, e.g. Africa/Accra.",
    )
    language = models.CharField(max_length=100, default="English")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most participants who can attend; empty for no limit."
    )
    paper_min_pages = models.PositiveSmallIntegerField(default=5)
    paper_max_pages = models.PositiveSmallIntegerField(default=10)
    paper_max_bytes = models.PositiveIntegerField(default=20 * 1024 * 1024)
    paper_roles = models.JSONField(
        default=list,
        blank=True,
        help_text='Roles asked for a paper, e.g. ["expert"].',
    )
    paper_uploads_close_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After this time late papers are no longer accepted; empty to keep accepting.",
    )
    hold_bulk_mail_over = models.PositiveIntegerField(
        default=0,
        help_text=(
            "Bulk mail (invitations, reminders) to more than this many people waits in the "
            "outbox for an organiser to release it; 0 never holds."
        ),
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_meetings"
    )
    is_published = models.BooleanField(default=True, help_text="Public pages are visible.")
    personal_data_retention_days = models.PositiveIntegerField(
        default=90,
        help_text=(
            "Days after the meeting ends when passport numbers, dates of birth and emergency "
            "contacts are deleted; the organisers are told a week before."
        ),
    )
    agenda_announced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Once set, changes to sessions are mailed to the participants they affect.",
    )
    # Calendar identity of the meeting's own event (invitations, personal feeds): never changes.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    feed_refresh_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(5)],
        help_text="How often subscribed calendars are asked to fetch the feeds again.",
    )
    feed_refresh_minutes_during_meeting = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(5)],
        help_text="The same, from the day before the meeting to its end, when changes are urgent.",
    )
    # Bumped by every programme change; keys the cached calendar feeds.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(paper_max_pages__gte=F("paper_min_pages")),
                name="meeting_paper_page_range",
            ),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:meeting", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The meeting cannot end before it starts."})
        if self.paper_max_pages < self.paper_min_pages:
            raise ValidationError(
                {"paper_max_pages": "The largest page count is below the smallest."}
            )
        previous_venue = Meeting.objects.filter(pk=self.pk).values_list("venue_id", flat=True)
        if self.pk and previous_venue.first() != self.venue_id:
            # A session's room must be at its meeting's venue: moving the meeting elsewhere
            # would leave sessions booked in the old venue's rooms.
            stranded = (
                Session.objects.filter(meeting_id=self.pk, room__isnull=False)
                .exclude(room__venue_id=self.venue_id)
                .count()
            )
            if stranded:
                raise ValidationError(
                    {
                        "venue": (
                            f"{stranded} session{'s are' if stranded > 1 else ' is'} booked in "
                            "rooms of the current venue: move them to rooms of the new venue "
                            "(or to no room) first."
                        )
                    }
                )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self) -> list[dt.date]:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + dt.timedelta(days=offset) for offset in range(count)]

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.starts_on, dt.time.min, tzinfo=self.zone)

    @property
    def ends_at(self) -> dt.datetime:
        """The first instant after the meeting's last day, in its zone."""
        return dt.datetime.combine(
            self.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone
        )

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """A deadline given as a date means the last second of that day in the meeting's zone."""
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=self.zone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        return timezone.localtime(moment, self.zone)

    @property
    def busy_window(self) -> tuple[dt.datetime, dt.datetime]:
        """From the day before the meeting (arrivals) to its end: feeds refresh more often."""
        return self.starts_at - dt.timedelta(days=1), self.ends_at

    def feed_refresh(self, now: dt.datetime) -> dt.timedelta:
        """How often a subscribed calendar should fetch the feeds again, at ``now``."""
        starts, ends = self.busy_window
        minutes = (
            self.feed_refresh_minutes_during_meeting
            if starts <= now < ends
            else self.feed_refresh_minutes
        )
        return dt.timedelta(minutes=minutes)

    def zone_label(self, moment: dt.datetime | None = None) -> str:
        """The zone as people read it: 'Africa/Accra (GMT)'."""
        moment = moment or self.starts_at
        abbreviation = self.local(moment).tzname()
        return f"{self.time_zone} ({abbreviation})" if abbreviation else self.time_zone


class DeadlineKind(models.TextChoices):
    REGISTRATION = "registration", "Registration"
    PAPER = "paper", "Expert paper"
    VISA_REQUEST = "visa_request", "Visa support request"
    TRAVEL_DETAILS = "travel_details", "Travel details"


class Deadline(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=30, choices=DeadlineKind.choices)
    due_at = models.DateTimeField(
        help_text="A date-only deadline is the end of that day in the meeting's zone."
    )
    roles = models.JSONField(
        default=list, blank=True, help_text="Roles it applies to; empty for everyone."
    )
    description = models.CharField(max_length=300, blank=True)
    # Calendar identity: the UID never changes, SEQUENCE rises whenever due_at moves.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="deadline_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_at:%Y-%m-%d %H:%M} UTC"

    def applies_to(self, role: str) -> bool:
        return not self.roles or role in self.roles


class WorkingGroup(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="working_groups")
    name = CleanCharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "slug"], name="working_group_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    OPENING = "opening", "Opening"
    PLENARY = "plenary", "Plenary"
    WORKING_GROUP = "working_group", "Working group"
    BREAK = "break", "Break"
    RECEPTION = "reception", "Reception"
    CLOSING = "closing", "Closing"


class SessionStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


class SessionQuerySet(models.QuerySet):
    def for_programme(self) -> "SessionQuerySet":
        # Not the room's venue: the meeting's venue is the one the programme shows.
        return self.select_related("room", "working_group").order_by("starts_at", "room__name")

    def plenary(self) -> "SessionQuerySet":
        """Sessions everyone attends: all but the working groups' own."""
        return self.filter(working_group__isnull=True)


class Session(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    title = CleanCharField(max_length=300)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.CONFIRMED
    )
    # Calendar identity: the UID never changes, SEQUENCE rises with every published change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["meeting", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class RoleQuota(models.Model):
    """The most participants of one role a meeting takes (the Accra meeting: 14 experts)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="role_quotas")
    role = models.CharField(max_length=30)
    limit = models.PositiveIntegerField(validators=[MinValueValidator(0)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "role"], name="role_quota_one_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.limit}"


class AgendaChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    CHANGED = "changed", "Changed"
    CANCELLED = "cancelled", "Cancelled"


class AgendaChange(models.Model):
    """A change to an announced programme, waiting to be mailed to the people it affects.

    Changes pile up as pending rows; a periodic task mails each affected participant once
    per batch and stamps ``notified_at``.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_changes")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=AgendaChangeKind.choices)
    summary = models.CharField(max_length=500, blank=True)
    # Participant ids whose personal feed held the session before the change: they are
    # mailed too, so someone who drops out learns the session left their agenda.
    people_before = models.JSONField(default=list, blank=True)
    # Set when the change concerns one person only (they moved to another working group).
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_changes",
    )
    recorded_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["meeting", "notified_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.session}"
