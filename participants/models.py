"""People at meetings: accounts, invitations and their status, registration details, papers."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from agenda.text import CleanCharField

from .fields import EncryptedDateField, EncryptedTextField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """An account; the email address is the login. Participants usually have no password."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    EXPERT = "expert", "Expert"
    UN_SECRETARIAT = "un_secretariat", "UN Secretariat"
    REGIONAL_COMMISSION = "regional_commission", "Regional Commission"
    GOVERNMENT = "government", "Government official"
    CONSULTANT = "consultant", "Consultant / facilitator"
    OBSERVER = "observer", "Observer / discussant"


class Status(models.TextChoices):
    NOT_INVITED = "not_invited", "Not yet invited"
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WAITLISTED = "waitlisted", "Waiting list"
    REGISTERED = "registered", "Registered"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"


# Statuses that hold a seat against the meeting's capacity and role quotas.
SEAT_HOLDING_STATUSES = (Status.ACCEPTED, Status.REGISTERED, Status.ATTENDED)


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Another gender"
    UNDISCLOSED = "", "Not stated"


class Region(models.TextChoices):
    """UN M49 regions, for the geographical balance a UN meeting reports."""

    AFRICA = "africa", "Africa"
    AMERICAS = "americas", "Americas"
    ASIA = "asia", "Asia"
    EUROPE = "europe", "Europe"
    OCEANIA = "oceania", "Oceania"
    UNKNOWN = "", "Not stated"


class ParticipantQuerySet(models.QuerySet):
    def holding_seats(self) -> "ParticipantQuerySet":
        return self.filter(status__in=SEAT_HOLDING_STATUSES)

    def for_user(self, user) -> "ParticipantQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Participant(models.Model):
    """A person at one meeting: who they are, their role, and where their invitation stands.

    The status changes only through ``participants.services``; every change is kept as a
    ``StatusChange``.
    """

    meeting = models.ForeignKey(
        "agenda.Meeting", on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
    )
    email = models.EmailField()
    honorific = CleanCharField(max_length=30, blank=True)
    given_name = CleanCharField(max_length=150)
    family_name = CleanCharField(max_length=150)
    organisation = CleanCharField(max_length=300, blank=True)
    job_title = CleanCharField(max_length=300, blank=True)
    country = CountryField(blank=True, help_text="Country the participant comes from.")
    nationality = CountryField(blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices)
    funded = models.BooleanField(default=False, help_text="The UN pays travel and subsistence.")
    paper_requested = models.BooleanField(
        null=True,
        blank=True,
        help_text="Asked for a paper; empty to follow the meeting's paper roles.",
    )
    working_group = models.ForeignKey(
        "agenda.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_INVITED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    # The invitation link's token is shown once, in the email; only its hash is kept.
    invitation_token_hash = models.CharField(max_length=64, blank=True, default="")
    invitation_expires_at = models.DateTimeField(null=True, blank=True)
    invitation_used_at = models.DateTimeField(null=True, blank=True)
    invitations_sent = models.PositiveSmallIntegerField(default=0)

    # Secret for the personal calendar feed URL; replaced to revoke the old URL.
    calendar_token = models.CharField(max_length=64, blank=True, default="")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()
    # Every change, with who made it (``participants.audit`` shows it). Link secrets stay out.
    history = HistoricalRecords(
        excluded_fields=["invitation_token_hash", "calendar_token", "updated_at"]
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                "meeting", Lower("email"), name="participant_email_unique_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["invitation_token_hash"],
                condition=~Q(invitation_token_hash=""),
                name="participant_invitation_token_unique",
            ),
            models.UniqueConstraint(
                fields=["calendar_token"],
                condition=~Q(calendar_token=""),
                name="participant_calendar_token_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "status"]),
            models.Index(fields=["meeting", "role"]),
            # The tracker, the exports and the papers tracker read one meeting's people in
            # name order: this index serves the filter and the order, so a page of 100 of
            # 5,000 reads 100 rows and no other meeting's.
            models.Index(
                fields=["meeting", "family_name", "given_name", "id"],
                name="participant_meeting_by_name",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def formal_name(self) -> str:
        return self.compose_formal_name(self.honorific, self.given_name, self.family_name)

    @staticmethod
    def compose_formal_name(honorific: str, given_name: str, family_name: str) -> str:
        """'Dr. Ama Mensah': also for names read as plain values (the programme's)."""
        full_name = f"{given_name} {family_name}".strip()
        return " ".join(part for part in (honorific, full_name) if part)

    @property
    def owes_paper(self) -> bool:
        if self.paper_requested is not None:
            return self.paper_requested
        return self.role in (self.meeting.paper_roles or [Role.EXPERT])

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class StatusChange(models.Model):
    """One step of a participant's timeline: who moved them from which status to which."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class Registration(models.Model):
    """What a participant tells the organisers after accepting: passport, needs, consents."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="registration"
    )
    passport_name = CleanCharField(
        max_length=300, help_text="Name exactly as written in the passport."
    )
    nationality = CountryField()
    # Encrypted at rest; blank once deleted at the end of the meeting's retention period.
    date_of_birth = EncryptedDateField(null=True, blank=True)
    passport_number = EncryptedTextField(blank=True)
    passport_issuing_country = CountryField()
    passport_expires_on = models.DateField()
    dietary_needs = models.CharField(max_length=500, blank=True)
    accessibility_needs = models.TextField(blank=True)
    emergency_contact_name = CleanCharField(max_length=200, blank=True)
    emergency_contact_phone = models.CharField(max_length=50, blank=True)
    consent_listed = models.BooleanField(
        default=False, help_text="May appear in the public list of participants."
    )
    consent_publish_papers = models.BooleanField(
        default=False, help_text="Papers may be published on the meeting's site."
    )
    completed_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the retention period ended and the passport, birth date and emergency contact went.
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True)

    # The encrypted values and the emergency contact are never copied into the history.
    history = HistoricalRecords(
        excluded_fields=[
            "passport_number",
            "date_of_birth",
            "emergency_contact_name",
            "emergency_contact_phone",
            "updated_at",
        ]
    )

    def __str__(self) -> str:
        return f"Registration of {self.participant}"


class DeletionRequest(models.Model):
    """A participant's request that their personal data be deleted, until an organiser acts.

    Confirming anonymises the participant (``participants.privacy.erasure``); the row stays
    as the record that it was asked for and done.
    """

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="deletion_request"
    )
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Deletion request {self.pk}"


class SessionPart(models.TextChoices):
    CHAIR = "chair", "Chair"
    SPEAKER = "speaker", "Speaker"
    PRESENTER = "presenter", "Presenter"
    RAPPORTEUR = "rapporteur", "Rapporteur"
    FACILITATOR = "facilitator", "Facilitator"


class SessionRole(models.Model):
    """A participant's part in a session (chair, speaker, presenter of a paper...)."""

    session = models.ForeignKey("agenda.Session", on_delete=models.CASCADE, related_name="people")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="session_roles"
    )
    part = models.CharField(max_length=20, choices=SessionPart.choices)
    paper = models.ForeignKey(
        "participants.Paper",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presentations",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant", "part"], name="session_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.get_part_display()})"


class ReviewStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    NEEDS_REVISION = "needs_revision", "Needs revision"
    ACCEPTED = "accepted", "Accepted"
    PUBLISHED = "published", "Published"


class Paper(models.Model):
    """A participant's contribution to the meeting's documentation; its files are versions."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="paper")
    title = CleanCharField(max_length=300)
    abstract = models.TextField(blank=True)
    consent_publish = models.BooleanField(default=False)
    review_status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.RECEIVED
    )
    review_note = models.TextField(blank=True, help_text="Shown to the author.")
    current_version = models.ForeignKey(
        "participants.PaperVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["participant__family_name"]

    def __str__(self) -> str:
        return self.title


def paper_upload_path(instance: "PaperVersion", filename: str) -> str:
    participant = instance.paper.participant
    return f"papers/{participant.meeting_id}/{participant.pk}/v{instance.number}-{filename}"


class PaperVersion(models.Model):
    """One uploaded file of a paper; never changed once stored."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=paper_upload_path, max_length=500)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["paper", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="paper_version_number"),
            models.UniqueConstraint(fields=["paper", "sha256"], name="paper_version_content"),
        ]

    def __str__(self) -> str:
        return f"{self.paper} v{self.number}"
