"""Getting participants to the meeting: letters, travel plans, the hotel block and stays,
and the travel information note."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from participants.privacy.files import encrypted_storage


class LetterKind(models.TextChoices):
    VISA = "visa", "Visa support letter"
    INVITATION = "invitation", "Official invitation letter"


class LetterTemplate(models.Model):
    """The wording of one kind of letter for one meeting, edited by its organisers.

    ``body`` holds placeholders in braces, e.g. ``{name_in_passport}``; the placeholders a
    kind of letter knows are listed in ``logistics.letters.PLACEHOLDERS``.
    """

    meeting = models.ForeignKey(
        "agenda.Meeting", on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    reference_prefix = models.CharField(
        max_length=40,
        help_text="Letters are numbered after it: DSPD/EGM-SI/2009 gives DSPD/EGM-SI/2009/017.",
    )
    letterhead = models.TextField(help_text="Printed at the top, one line per line.")
    body = models.TextField(
        help_text="Paragraphs separated by a blank line; placeholders in braces."
    )
    signatory_name = models.CharField(max_length=200)
    signatory_title = models.CharField(max_length=300)
    signature = models.FileField(
        upload_to="letters/signatures/",
        max_length=500,
        blank=True,
        help_text="Optional: a PNG or JPEG image of the signature.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Who changed the wording, from what to what (``agenda.audit``).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["meeting", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="letter_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.meeting})"


class Embassy(models.Model):
    """An embassy or high commission of the host country, for participants living in ``country``."""

    meeting = models.ForeignKey(
        "agenda.Meeting", on_delete=models.CASCADE, related_name="embassies"
    )
    country = CountryField(help_text="Country of residence it serves.")
    name = models.CharField(max_length=300, help_text="e.g. High Commission of Ghana, London.")
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "country", "name"]
        verbose_name_plural = "embassies"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="embassy_unique_per_meeting")
        ]

    def __str__(self) -> str:
        return self.name


class Letter(models.Model):
    """A letter issued to one participant; revocable, verifiable by its code.

    The PDF is kept as issued. A visa letter remembers a fingerprint of the passport details
    it printed, so a later change of passport shows it as outdated.
    """

    meeting = models.ForeignKey("agenda.Meeting", on_delete=models.CASCADE, related_name="letters")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField(max_length=20, choices=LetterKind.choices, default=LetterKind.VISA)
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=60)
    embassy = models.CharField(
        max_length=300, blank=True, help_text="Embassy or high commission addressed."
    )
    verification_code = models.CharField(max_length=32, unique=True)
    # Encrypted at rest: a visa letter prints the passport number. Emptied (the file
    # deleted) when the meeting's personal data retention ends; the row stays for verification.
    pdf = models.FileField(
        upload_to="letters/", max_length=500, blank=True, storage=encrypted_storage
    )
    passport_fingerprint = models.CharField(max_length=64, blank=True)
    pdf_deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the PDF was deleted with the passport data."
    )
    holder_initials = models.CharField(max_length=12, blank=True)
    holder_nationality = CountryField(blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    # Who issued and revoked it. What was printed from the passport (its fingerprint, the
    # holder's initials and nationality), the PDF and the verification code stay out.
    history = HistoricalRecords(
        excluded_fields=[
            "pdf",
            "passport_fingerprint",
            "holder_initials",
            "holder_nationality",
            "verification_code",
        ]
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="letter_number_per_meeting"),
            models.UniqueConstraint(
                fields=["meeting", "reference"], name="letter_reference_per_meeting"
            ),
            # At most one letter of a kind in force per participant.
            models.UniqueConstraint(
                fields=["participant", "kind"],
                condition=Q(revoked_at__isnull=True),
                name="letter_one_active_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class LetterRequest(models.Model):
    """A participant asking for a letter (a visa letter names the embassy); organisers act on it."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="letter_requests"
    )
    kind = models.CharField(max_length=20, choices=LetterKind.choices, default=LetterKind.VISA)
    embassy = models.ForeignKey(
        Embassy, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    note = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    letter = models.ForeignKey(
        Letter, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    # The participant's note may carry passport details: it stays out of the history.
    history = HistoricalRecords(excluded_fields=["note"])

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind"],
                condition=Q(handled_at__isnull=True),
                name="letter_request_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.participant}"


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Issuing"
    DONE = "done", "Finished"


class LetterBatch(models.Model):
    """Letters issued for a selection of participants by one background task; its progress."""

    meeting = models.ForeignKey(
        "agenda.Meeting", on_delete=models.CASCADE, related_name="letter_batches"
    )
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    participant_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "letter batches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class TravelPlan(models.Model):
    """A participant's flights (entered by them) and, for the funded, the ticket and allowance."""

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="travel_plan"
    )
    departure_city = models.CharField(max_length=100, blank=True)
    arrival_carrier = models.CharField(max_length=60, blank=True)
    arrival_flight = models.CharField(max_length=20, blank=True)
    arrival_at = models.DateTimeField(null=True, blank=True)
    arrival_airport = models.CharField(max_length=60, blank=True)
    departure_carrier = models.CharField(max_length=60, blank=True)
    departure_flight = models.CharField(max_length=20, blank=True)
    departure_at = models.DateTimeField(null=True, blank=True)
    departure_airport = models.CharField(max_length=60, blank=True)
    airport_pickup = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # Calendar identity of the arrival and departure events (derived from it): never changes.
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Recorded by the organisers for funded participants.
    ticket_issued = models.BooleanField(default=False)
    ticket_reference = models.CharField(max_length=60, blank=True)
    ticket_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    ticket_currency = models.CharField(max_length=3, blank=True, default="USD")
    dsa_nights = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Nights of daily subsistence allowance paid."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["calendar_uid", "updated_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(departure_at__isnull=True)
                | Q(arrival_at__isnull=True)
                | Q(departure_at__gt=models.F("arrival_at")),
                name="travel_departure_after_arrival",
            )
        ]

    def __str__(self) -> str:
        return f"Travel of {self.participant}"


class HotelBlock(models.Model):
    """Rooms held at a hotel for the meeting: the same number of rooms each night."""

    meeting = models.ForeignKey(
        "agenda.Meeting", on_delete=models.CASCADE, related_name="hotel_blocks"
    )
    hotel = models.ForeignKey("agenda.Venue", on_delete=models.PROTECT, related_name="+")
    first_night = models.DateField()
    last_night = models.DateField()
    rooms = models.PositiveIntegerField(help_text="Rooms held each night.")
    room_rate = models.CharField(max_length=100, blank=True, help_text="e.g. USD 180 per night.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "first_night"]
        constraints = [
            models.UniqueConstraint(fields=["meeting"], name="hotel_block_one_per_meeting"),
            models.CheckConstraint(
                condition=Q(last_night__gte=models.F("first_night")),
                name="hotel_block_nights_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rooms} rooms at {self.hotel}"


class RoomType(models.TextChoices):
    SINGLE = "single", "Single"
    DOUBLE = "double", "Double"
    ACCESSIBLE = "accessible", "Accessible"


class HotelBooking(models.Model):
    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="hotel_booking"
    )
    hotel = models.ForeignKey(
        "agenda.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    check_in = models.DateField()
    check_out = models.DateField()
    room_type = models.CharField(max_length=50, blank=True, choices=RoomType.choices)
    accessibility_needs = models.TextField(
        blank=True, help_text="What the hotel must know (told to it only with consent)."
    )
    accessibility_consent = models.BooleanField(
        default=False, help_text="The participant agrees that the hotel is told these needs."
    )
    confirmation = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    # Calendar identity of the stay's event: never changes.
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Accessibility needs are cleared when the participant withdraws consent to tell the
    # hotel: the history names a change of them, never keeps them.
    history = HistoricalRecords(
        excluded_fields=["accessibility_needs", "calendar_uid", "updated_at"]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(check_out__gt=models.F("check_in")), name="hotel_stay_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Stay of {self.participant}"

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


class InformationNote(models.Model):
    """The travel information note: what a participant needs to know to get there and stay."""

    meeting = models.OneToOneField(
        "agenda.Meeting", on_delete=models.CASCADE, related_name="information_note"
    )
    arrival = models.TextField("Arrival airport and transfer", blank=True)
    visa = models.TextField("Visa requirements", blank=True)
    health = models.TextField("Health requirements", blank=True)
    hotel = models.TextField("Hotel", blank=True)
    currency = models.TextField("Currency", blank=True)
    climate = models.TextField("Climate", blank=True)
    subsistence = models.TextField("Daily subsistence allowance", blank=True)
    dsa_rate = models.DecimalField(
        "Daily subsistence allowance rate",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Paid per night to funded participants.",
    )
    dsa_currency = models.CharField("Rate currency", max_length=3, default="USD")
    contacts = models.TextField("Contacts", blank=True)
    emergency = models.TextField("Emergency numbers", blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    SECTIONS = (
        "arrival",
        "visa",
        "health",
        "hotel",
        "currency",
        "climate",
        "subsistence",
        "contacts",
        "emergency",
    )

    def __str__(self) -> str:
        return f"Information note ({self.meeting})"

    def sections(self) -> list[tuple[str, str]]:
        """(title, text) of the sections that have text, in the note's order."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.SECTIONS
            if getattr(self, name).strip()
        ]

    def dsa_amount(self, nights: int | None) -> Decimal | None:
        if self.dsa_rate is None or nights is None:
            return None
        return self.dsa_rate * nights
