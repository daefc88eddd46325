"""A participant's right to be forgotten: they ask, an organiser confirms, the data goes.

Deleting anonymises rather than removes the participant: the row keeps its meeting, role,
gender, region, status and dates, so the meeting's counts and balance (what a UN meeting
reports) stay right, while everything that names or reaches the person is erased.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications import outbox

from ..models import DeletionRequest, Participant, Registration, User

# What an anonymised participant's row holds instead of their identity.
ANONYMOUS_GIVEN_NAME = "Deleted"

# Other apps' data about one person erased with them (say, logistics' letters, flights and
# hotel stay): ``fn(participant)`` erases it, inside the confirming transaction.
_erasures: list[Callable[[Participant], None]] = []


def register_erasure(fn: Callable[[Participant], None]) -> None:
    """Run ``fn(participant)`` whenever a deletion request is confirmed (from ``ready()``)."""
    if fn not in _erasures:
        _erasures.append(fn)


def anonymous_values(participant: Participant) -> dict:
    return {
        "honorific": "",
        "given_name": ANONYMOUS_GIVEN_NAME,
        "family_name": f"participant {participant.pk}",
        "email": f"deleted-{participant.pk}@deleted.invalid",
        "organisation": "",
        "job_title": "",
        "country": "",
        "nationality": "",
        "decline_reason": "",
        "user_id": None,
    }


@transaction.atomic
def request_deletion(*, participant: Participant, by: User) -> DeletionRequest:
    """Record that the participant asks for their personal data to be deleted.

    Side effects: one ``DeletionRequest`` per participant (asking again changes nothing) and
    one email to each of the meeting's organisers, who confirm on the participant's page.
    Raises ``ValidationError`` when ``by`` is not the participant.
    """
    if participant.user_id is None or participant.user_id != by.pk:
        raise ValidationError("Only the participant can ask for their data to be deleted.")
    request, created = DeletionRequest.objects.get_or_create(
        participant=participant, defaults={"requested_at": timezone.now()}
    )
    if created:
        meeting = participant.meeting
        url = settings.SITE_URL + reverse(
            "participant:organise_participant",
            kwargs={"slug": meeting.slug, "pk": participant.pk},
        )
        for organiser in meeting.organisers.exclude(email=""):
            outbox.queue_templated(
                template="participants/email/deletion_request",
                context={"meeting": meeting, "participant": participant, "url": url},
                recipient=organiser.email,
                idempotency_key=f"participants.deletion-request:{request.pk}:{organiser.pk}",
                kind="participants.deletion_request",
                meeting=meeting,
            )
    return request


@transaction.atomic
def confirm_deletion(
    *, participant: Participant, confirmed_by: User, now: dt.datetime | None = None
) -> Participant:
    """Carry out a participant's deletion request: anonymise them.

    Side effects: the participant's names, email, organisation, country, nationality, reason
    for declining, invitation and calendar links and account link are replaced
    (``anonymous_values``), also in every row of their history; their registration (passport,
    date of birth, needs, emergency contact, consents) and its history are deleted; their
    messages in this meeting's outbox are cancelled if unsent and erased
    (``outbox.forget_recipient``); their account is deleted when it is used for nothing
    else; every function registered with ``register_erasure`` runs; the request is marked
    confirmed. Role, gender, region, status and dates stay, so
    the meeting's statistics do not change. Raises ``ValidationError`` without a pending
    request.
    """
    now = now or timezone.now()
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    request = DeletionRequest.objects.select_for_update().filter(participant=participant).first()
    if request is None or request.confirmed_at is not None:
        raise ValidationError("There is no pending deletion request for this participant.")
    old_email, user_id = participant.email, participant.user_id
    values = anonymous_values(participant)
    for name, value in values.items():
        setattr(participant, name, value)
    participant.invitation_token_hash = ""
    participant.calendar_token = ""
    participant._history_user = confirmed_by
    participant._change_reason = "Personal data deleted at the participant's request"
    participant.save()
    participant.history.update(**values)
    Registration.objects.filter(participant=participant).delete()
    Registration.history.filter(participant_id=participant.pk).delete()
    for erase in _erasures:
        erase(participant)
    outbox.forget_recipient(
        recipient=old_email, meeting=participant.meeting, replacement=participant.email
    )
    if user_id is not None:
        account = User.objects.filter(pk=user_id, is_staff=False).first()
        if account is not None and not account.participations.exists():
            account.delete()
    request.confirmed_at = now
    request.confirmed_by = confirmed_by
    request.save(update_fields=["confirmed_at", "confirmed_by"])
    return participant
