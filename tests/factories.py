"""Factories for the whole suite: a meeting at a venue, participants, users."""

import datetime as dt
import zoneinfo

import factory
from django.utils import timezone

from agenda.models import (
    Deadline,
    DeadlineKind,
    Meeting,
    Room,
    Session,
    SessionKind,
    Venue,
    WorkingGroup,
)
from participants.models import Participant, Registration, Role, Status, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Ama"
    last_name = "Mensah"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = "ALISA Hotel"
    city = "Accra"
    country = "GH"
    address = "North Ridge"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 40


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    slug = factory.Sequence(lambda n: f"egm-{n}")
    title = "Practical Strategies to Promote Social Integration"
    short_title = "EGM Social Integration"
    purpose = "Develop practical strategies to promote social integration."
    organiser = "Division for Social Policy and Development (DSPD), UN DESA"
    host = "Government of Ghana"
    venue = factory.SubFactory(VenueFactory)
    starts_on = dt.date(2009, 11, 17)
    ends_on = dt.date(2009, 11, 19)
    time_zone = "Africa/Accra"
    capacity = 35
    paper_roles = ["expert"]
    contact_name = "Meeting secretariat"
    contact_email = "secretariat@example.org"


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    meeting = factory.SubFactory(MeetingFactory)
    kind = DeadlineKind.PAPER
    due_at = factory.LazyAttribute(
        lambda o: dt.datetime(
            2009, 11, 5, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo(o.meeting.time_zone)
        )
    )
    roles = factory.LazyFunction(lambda: ["expert"])


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"wg-{n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    kind = SessionKind.PLENARY
    title = factory.Sequence(lambda n: f"Plenary {n}")
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.meeting.starts_on, dt.time(9, 0), tzinfo=o.meeting.zone)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1, minutes=30))


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    honorific = "Dr."
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    organisation = "University of Ghana"
    job_title = "Professor"
    country = "GH"
    nationality = "GH"
    gender = "female"
    region = "africa"
    role = Role.EXPERT
    funded = True
    status = Status.NOT_INVITED
    status_changed_at = factory.LazyFunction(timezone.now)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A completed registration; the participant's status is the caller's business."""

    class Meta:
        model = Registration

    participant = factory.SubFactory(ParticipantFactory, status=Status.REGISTERED)
    passport_name = "MENSAH AMA SERWAA"
    nationality = "GH"
    date_of_birth = dt.date(1970, 4, 2)
    passport_number = "G1234567"
    passport_issuing_country = "GH"
    passport_expires_on = dt.date(2035, 1, 1)
    emergency_contact_name = "Kofi Mensah"
    emergency_contact_phone = "+233 20 000 0000"
    completed_at = factory.LazyFunction(timezone.now)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Message"

    recipient = factory.Sequence(lambda n: f"expert{n}@example.org")
    subject = "Expert group meeting: your paper is due on 5 November 2009"
    body_text = "Dear colleague, your paper of 5 to 10 pages is due on 5 November 2009."
    kind = "paper_reminder"
    idempotency_key = factory.Sequence(lambda n: f"test-message-{n}")
