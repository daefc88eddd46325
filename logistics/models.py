"""Getting participants to the meeting: visa support letters, travel plans, hotel stays."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class VisaLetter(models.Model):
    """A visa support letter issued to one participant for one embassy; revocable, verifiable."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="visa_letters"
    )
    reference = models.CharField(max_length=60, unique=True)
    embassy = models.CharField(max_length=300, help_text="Embassy or consulate addressed.")
    verification_code = models.CharField(max_length=32, unique=True)
    pdf = models.FileField(upload_to="letters/", max_length=500, blank=True)
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

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            # At most one letter in force per participant.
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(revoked_at__isnull=True),
                name="visa_letter_one_active",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class TravelPlan(models.Model):
    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="travel_plan"
    )
    departure_city = models.CharField(max_length=100, blank=True)
    arrival_flight = models.CharField(max_length=20, blank=True)
    arrival_at = models.DateTimeField(null=True, blank=True)
    departure_flight = models.CharField(max_length=20, blank=True)
    departure_at = models.DateTimeField(null=True, blank=True)
    airport_pickup = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # Calendar identity of the arrival and departure events (derived from it): never changes.
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Travel of {self.participant}"


class HotelBooking(models.Model):
    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="hotel_booking"
    )
    hotel = models.ForeignKey(
        "agenda.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    check_in = models.DateField()
    check_out = models.DateField()
    room_type = models.CharField(max_length=50, blank=True)
    confirmation = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    # Calendar identity of the stay's event: never changes.
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(check_out__gt=models.F("check_in")), name="hotel_stay_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Stay of {self.participant}"
