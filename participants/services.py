"""Every change to a participant: invite, answer, register, change status, cancel.

Each function validates, writes inside one transaction, records the status change in the
participant's timeline and queues any email on commit through ``notifications.outbox``.
"""

import datetime as dt
import time
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agenda.calendars import meeting_calendar
from agenda.models import DeadlineKind, Meeting, RoleQuota
from agenda.rules import is_meeting_organiser
from notifications import outbox
from notifications.models import Message

from . import contributions, portal, tokens
from .models import (
    SEAT_HOLDING_STATUSES,
    Participant,
    Registration,
    Status,
    StatusChange,
    User,
)

# Which status may follow which. Anything else is refused by ``change_status``.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NOT_INVITED: frozenset({Status.INVITED, Status.CANCELLED}),
    Status.INVITED: frozenset(
        {Status.ACCEPTED, Status.DECLINED, Status.WAITLISTED, Status.CANCELLED}
    ),
    Status.WAITLISTED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.CANCELLED}),
    Status.ACCEPTED: frozenset({Status.REGISTERED, Status.DECLINED, Status.CANCELLED}),
    Status.REGISTERED: frozenset({Status.ATTENDED, Status.CANCELLED}),
    Status.DECLINED: frozenset({Status.ACCEPTED, Status.WAITLISTED}),
    Status.CANCELLED: frozenset({Status.ACCEPTED, Status.WAITLISTED}),
    Status.ATTENDED: frozenset(),
}

# The timestamp each arrival status stamps (once), besides ``status_changed_at``.
_STAMPS = {
    Status.INVITED: "invited_at",
    Status.ACCEPTED: "responded_at",
    Status.DECLINED: "responded_at",
    Status.WAITLISTED: "responded_at",
    Status.REGISTERED: "registered_at",
}


class InvitationError(ValidationError):
    """An invitation link that cannot be used: ``code`` is unknown, expired or used."""


# ---------------------------------------------------------------------------- status


def change_status(
    *,
    participant: Participant,
    to_status: str,
    changed_by: User | None,
    note: str = "",
    at: dt.datetime | None = None,
    extra_fields: tuple[str, ...] = (),
) -> StatusChange:
    """Move a participant to ``to_status`` and record it in the timeline.

    The single place a status is written. Sets ``status_changed_at`` and the status's own
    timestamp (invited, responded, registered); saves ``extra_fields`` set by the caller in
    the same write. Refuses a transition ``TRANSITIONS`` does not allow. Capacity is the
    caller's business (see ``accept_invitation`` and ``admit``).
    """
    from_status = participant.status
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise ValidationError(
            "A participant who is %(from)s cannot become %(to)s.",
            code="invalid_transition",
            params={
                "from": Status(from_status).label.lower(),
                "to": Status(to_status).label.lower(),
            },
        )
    at = at or timezone.now()
    participant.status = to_status
    participant.status_changed_at = at
    fields = {"status", "status_changed_at", "updated_at", *extra_fields}
    stamp = _STAMPS.get(to_status)
    if stamp and getattr(participant, stamp) is None:
        setattr(participant, stamp, at)
        fields.add(stamp)
    if changed_by is not None:
        participant._history_user = changed_by
    participant._change_reason = note[:100]
    participant.save(update_fields=sorted(fields))
    change = StatusChange.objects.create(
        participant=participant,
        from_status=from_status,
        to_status=to_status,
        changed_by=changed_by,
        changed_at=at,
        note=note[:500],
    )
    contributions.status_changed(change)
    return change


def _seats_left(meeting: Meeting, participant: Participant) -> bool:
    """Whether the meeting and the participant's role quota have a free seat.

    Callers hold the meeting's row lock, so the counts cannot change before they write.
    """
    holders = Participant.objects.filter(
        meeting_id=meeting.pk, status__in=SEAT_HOLDING_STATUSES
    ).exclude(pk=participant.pk)
    if meeting.capacity is not None and holders.count() >= meeting.capacity:
        return False
    quota = RoleQuota.objects.filter(meeting_id=meeting.pk, role=participant.role).first()
    return quota is None or holders.filter(role=participant.role).count() < quota.limit


def _lock_meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting_id)


@transaction.atomic
def admit(*, participant: Participant, changed_by: User, note: str = "") -> Participant:
    """Give a waiting-listed (or cancelled, declined) participant a seat, if one is free.

    Locks the meeting row like ``accept_invitation``; raises ``ValidationError`` when the
    meeting or the role quota is full. Records the change and queues the admission email.
    """
    meeting = _lock_meeting(participant.meeting_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not _seats_left(meeting, participant):
        raise ValidationError(
            "The meeting or the quota for this role is full: no seat to give.", code="full"
        )
    change = change_status(
        participant=participant,
        to_status=Status.ACCEPTED,
        changed_by=changed_by,
        note=note or "Given a seat by the organisers",
    )
    _queue_step_email(participant, "admitted", change)
    return participant


@transaction.atomic
def set_status(
    *, participant: Participant, to_status: str, changed_by: User, note: str = ""
) -> Participant:
    """An organiser's status change: seats go through ``admit``, the rest straight through.

    The participant is told of an admission and of a cancellation by email.
    """
    if to_status == Status.ACCEPTED and participant.status not in SEAT_HOLDING_STATUSES:
        return admit(participant=participant, changed_by=changed_by, note=note)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    change = change_status(
        participant=participant, to_status=to_status, changed_by=changed_by, note=note
    )
    if to_status == Status.CANCELLED:
        _queue_step_email(participant, "cancelled", change)
    return participant


@transaction.atomic
def cancel_participation(
    *, participant: Participant, changed_by: User | None, note: str = ""
) -> Participant:
    """Cancel a participant's place; frees their seat. Records the change and tells them."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    change = change_status(
        participant=participant,
        to_status=Status.CANCELLED,
        changed_by=changed_by,
        note=note or "Participation cancelled",
    )
    _queue_step_email(participant, "cancelled", change)
    return participant


# ---------------------------------------------------------------------------- step emails

STEP_EMAIL_KINDS = {
    "accepted": "participants.accepted",
    "waitlisted": "participants.waitlisted",
    "registered": "participants.registered",
    "admitted": "participants.admitted",
    "cancelled": "participants.cancelled",
}


def _queue_step_email(participant: Participant, step: str, change: StatusChange) -> Message:
    """Tell the participant where they stand and what comes next; once per status change."""
    meeting = participant.meeting
    slug = meeting.slug
    registration = portal.deadline(meeting, DeadlineKind.REGISTRATION)
    paper = portal.deadline(meeting, DeadlineKind.PAPER)
    return outbox.queue_templated(
        template="participants/email/status",
        context={
            "participant": participant,
            "meeting": meeting,
            "step": step,
            "note": change.note if change.changed_by_id != participant.user_id else "",
            "portal_url": settings.SITE_URL + reverse("participant:portal", kwargs={"slug": slug}),
            "registration_url": settings.SITE_URL
            + reverse("participant:registration", kwargs={"slug": slug}),
            "registration_due": _moment(meeting, registration.due_at) if registration else "",
            "owes_paper": participant.owes_paper,
            "paper_due": _moment(meeting, paper.due_at) if paper else "",
        },
        recipient=participant.email,
        idempotency_key=f"participants.status:{change.pk}",
        kind=STEP_EMAIL_KINDS[step],
        meeting=meeting,
    )


def _moment(meeting: Meeting, moment: dt.datetime) -> str:
    """'5 November 2009, 23:59 Africa/Accra (GMT)'."""
    local = meeting.local(moment)
    return f"{local.day} {local:%B %Y}, {local:%H:%M} {meeting.zone_label(moment)}"


# ---------------------------------------------------------------------------- invitations


@dataclass
class InvitationResult:
    invited: list[Participant] = field(default_factory=list)
    reminded: list[Participant] = field(default_factory=list)
    skipped: list[tuple[Participant, str]] = field(default_factory=list)
    # The id of the batch held for review, or "" when the mail went straight out.
    batch: str = ""


def invitation_expiry(meeting: Meeting) -> dt.datetime:
    """Invitations expire at the registration deadline, or when the meeting starts."""
    return portal.registration_closes_at(meeting)


def invitation_urls(participant: Participant, token: str) -> dict[str, str]:
    kwargs = {"slug": participant.meeting.slug, "token": token}
    return {
        "invitation_url": settings.SITE_URL + reverse("participant:invitation", kwargs=kwargs),
        "accept_url": settings.SITE_URL + reverse("participant:accept", kwargs=kwargs),
        "decline_url": settings.SITE_URL + reverse("participant:decline", kwargs=kwargs),
    }


def _invitation_context(participant: Participant, token: str, *, reminder: bool) -> dict:
    meeting = participant.meeting
    paper_deadline = portal.deadline(meeting, DeadlineKind.PAPER)
    return {
        "participant": participant,
        "meeting": meeting,
        "reminder": reminder,
        "zone_label": meeting.zone_label(),
        "expires_at": meeting.local(participant.invitation_expires_at),
        # The abbreviation in force on that day, which may differ from the first day's.
        "expires_zone_label": meeting.zone_label(participant.invitation_expires_at),
        "owes_paper": participant.owes_paper,
        "paper_due": meeting.local(paper_deadline.due_at) if paper_deadline else None,
        "site_url": settings.SITE_URL,
        **invitation_urls(participant, token),
    }


def _queue_invitation(
    participant: Participant,
    token: str,
    *,
    key: str,
    reminder: bool,
    calendar: bytes,
    batch: str = "",
) -> Message:
    return outbox.queue_templated(
        template="participants/email/invitation",
        context=_invitation_context(participant, token, reminder=reminder),
        recipient=participant.email,
        idempotency_key=key,
        kind="participants.invitation_reminder" if reminder else "participants.invitation",
        meeting=participant.meeting,
        attachments=[outbox.Attachment("meeting.ics", calendar, "text/calendar")],
        batch=batch,
    )


@transaction.atomic
def invite_participants(
    *,
    meeting: Meeting,
    participant_ids: list[int],
    sent_by: User | None,
    resend: bool = False,
) -> InvitationResult:
    """Invite the chosen participants of ``meeting``; with ``resend``, remind the invited.

    Side effects: each participant not yet invited moves to INVITED, gets an invitation
    round (``invited_at``), the hash of its link token and an expiry (the registration
    deadline), and one invitation email with the meeting's calendar file is queued (held
    for review as one batch, ``result.batch``, when more people are mailed than the
    meeting's ``hold_bulk_mail_over``).
    Choosing them again does nothing (they are already invited, and the email's
    idempotency key is per participant per round). With ``resend``, already-invited
    participants get a reminder carrying the *same* link (see ``participants.tokens``),
    at most one per participant per day, so a double click still sends one. Others
    (accepted, declined...) are skipped with a reason. Ids of other meetings are ignored.
    """
    now = timezone.now()
    expires_at = invitation_expiry(meeting)
    result = InvitationResult()
    chosen = (
        Participant.objects.select_for_update()
        .filter(meeting=meeting, pk__in=participant_ids)
        .order_by("pk")
    )
    participants = list(chosen)
    if not participants:
        return result
    calendar = meeting_calendar(meeting)
    # Mail to more people than the meeting's limit waits for an organiser's review.
    mailed = [
        participant
        for participant in participants
        if participant.status == Status.NOT_INVITED
        or (participant.status == Status.INVITED and resend)
    ]
    batch = outbox.bulk_batch(meeting, len(mailed) if expires_at > now else 0)
    for participant in participants:
        participant.meeting = meeting
        if participant.status not in (Status.NOT_INVITED, Status.INVITED):
            result.skipped.append(
                (participant, f"already {participant.get_status_display().lower()}")
            )
            continue
        if participant.status == Status.INVITED and not resend:
            result.skipped.append((participant, "already invited"))
            continue
        if expires_at <= now:
            result.skipped.append(
                (
                    participant,
                    "the registration deadline has passed, so the link would "
                    "be dead on arrival; move the deadline first",
                )
            )
            continue
        if participant.status == Status.NOT_INVITED:
            participant.invited_at = now
            token = tokens.invitation_token(participant)
            participant.invitation_token_hash = tokens.hash_token(token)
            participant.invitation_expires_at = expires_at
            participant.invitation_used_at = None
            participant.invitations_sent += 1
            change_status(
                participant=participant,
                to_status=Status.INVITED,
                changed_by=sent_by,
                note="Invitation sent",
                at=now,
                extra_fields=(
                    "invited_at",
                    "invitation_token_hash",
                    "invitation_expires_at",
                    "invitation_used_at",
                    "invitations_sent",
                ),
            )
            key = f"participants.invitation:{participant.pk}:{tokens.round_id(now)}"
            _queue_invitation(
                participant, token, key=key, reminder=False, calendar=calendar, batch=batch
            )
            result.invited.append(participant)
            continue
        # An explicit reminder, with the same link as the invitation of this round.
        key = (
            f"participants.invitation-reminder:{participant.pk}:"
            f"{tokens.round_id(participant.invited_at)}:{now.date().isoformat()}"
        )
        if Message.objects.filter(idempotency_key=key).exists():
            result.skipped.append((participant, "already reminded today"))
            continue
        token = tokens.invitation_token(participant)
        # The hash changes only if SECRET_KEY was rotated; then the old link stops working.
        participant.invitation_token_hash = tokens.hash_token(token)
        participant.invitation_expires_at = expires_at
        participant.invitations_sent += 1
        if sent_by is not None:
            participant._history_user = sent_by
        participant._change_reason = "Invitation reminder sent"
        participant.save(
            update_fields=[
                "invitation_token_hash",
                "invitation_expires_at",
                "invitations_sent",
                "updated_at",
            ]
        )
        _queue_invitation(
            participant, token, key=key, reminder=True, calendar=calendar, batch=batch
        )
        result.reminded.append(participant)
    if result.invited or result.reminded:
        result.batch = batch
    return result


def resend_invitation(*, participant: Participant, sent_by: User | None) -> InvitationResult:
    """Remind one invited participant, with the same link (see ``invite_participants``)."""
    return invite_participants(
        meeting=participant.meeting,
        participant_ids=[participant.pk],
        sent_by=sent_by,
        resend=True,
    )


def find_invitation(*, meeting_slug: str, token: str) -> Participant:
    """The participant whose link this is; raises ``InvitationError`` (unknown, used, expired).

    Unknown covers tampered tokens and tokens of another meeting. Reads only.
    """
    participant = None
    if 20 <= len(token) <= 100:
        participant = (
            Participant.objects.select_related("meeting", "meeting__venue", "user")
            .prefetch_related("meeting__deadlines")
            .filter(meeting__slug=meeting_slug, invitation_token_hash=tokens.hash_token(token))
            .first()
        )
    if participant is None:
        raise InvitationError("This invitation link is not valid.", code="unknown")
    _check_usable(participant)
    return participant


def _check_usable(participant: Participant, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if participant.invitation_used_at is not None or participant.status != Status.INVITED:
        raise InvitationError("This invitation has already been answered.", code="used")
    if participant.invitation_expires_at is None or participant.invitation_expires_at <= now:
        raise InvitationError("This invitation has expired.", code="expired")


def _account_for(participant: Participant) -> User:
    """The participant's account: linked, found by a verified address or email, or new.

    Following the invitation link does not verify the address: the meeting's organisers can
    read the link in the outbox. A new account's address stays unverified until an emailed
    sign-in code proves it (``participants.link_sign_in``).
    """
    email = participant.email.strip().lower()
    user = participant.user
    if user is None:
        address = (
            EmailAddress.objects.filter(email__iexact=email, verified=True)
            .select_related("user")
            .first()
        )
        user = address.user if address else User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, first_name=participant.given_name, last_name=participant.family_name
        )
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=False, primary=not has_primary)
    elif not has_primary:
        address.primary = True
        address.save(update_fields=["primary"])
    return user


@transaction.atomic
def accept_invitation(
    *,
    participant: Participant,
    lock: bool = True,
    race_window: float = 0.0,
) -> Participant:
    """Accept an invitation: a seat if one is free, else the waiting list.

    Side effects: locks the meeting row (``select_for_update``) so that concurrent
    acceptances count seats one after another; the participant becomes ACCEPTED, or
    WAITLISTED when the meeting's capacity or the role's quota is taken; the link is
    marked used; the allauth account is created or linked (its address left as verified
    as it was: the link is no proof of it); a confirmation (what happens next, or the
    waiting list) is queued.

    ``lock`` and ``race_window`` exist for the concurrency test only: ``lock=False`` skips
    the meeting lock and ``race_window`` sleeps between counting seats and writing, which
    makes the race that the lock prevents happen reliably. Production code never passes
    them.
    """
    meeting = (
        _lock_meeting(participant.meeting_id)
        if lock
        else Meeting.objects.get(pk=participant.meeting_id)
    )
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    participant.meeting = meeting
    _check_usable(participant)
    has_seat = _seats_left(meeting, participant)
    if race_window:
        time.sleep(race_window)
    now = timezone.now()
    participant.user = _account_for(participant)
    participant.invitation_used_at = now
    change = change_status(
        participant=participant,
        to_status=Status.ACCEPTED if has_seat else Status.WAITLISTED,
        changed_by=participant.user,
        note="Accepted the invitation"
        if has_seat
        else "Accepted the invitation; the meeting is full, so on the waiting list",
        at=now,
        extra_fields=("user", "invitation_used_at"),
    )
    _queue_step_email(participant, "accepted" if has_seat else "waitlisted", change)
    return participant


@transaction.atomic
def decline_invitation(*, participant: Participant, reason: str = "") -> Participant:
    """Decline an invitation, with an optional reason; the link is marked used."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    _check_usable(participant)
    reason = reason.strip()[:2000]
    now = timezone.now()
    participant.invitation_used_at = now
    participant.decline_reason = reason
    change_status(
        participant=participant,
        to_status=Status.DECLINED,
        changed_by=participant.user,
        note="Declined the invitation",
        at=now,
        extra_fields=("invitation_used_at", "decline_reason"),
    )
    return participant


# ---------------------------------------------------------------------------- registration

# What the participant agrees to (being listed, papers published): theirs alone to set.
CONSENT_FIELDS = frozenset({"consent_listed", "consent_publish_papers"})
REGISTRATION_FIELDS = (
    "passport_name",
    "nationality",
    "date_of_birth",
    "passport_number",
    "passport_issuing_country",
    "passport_expires_on",
    "dietary_needs",
    "accessibility_needs",
    "emergency_contact_name",
    "emergency_contact_phone",
    "consent_listed",
    "consent_publish_papers",
)

# Encrypted at rest and left out of the history (``participants.audit``).
ENCRYPTED_FIELDS = ("passport_number", "date_of_birth")
# Deleted when the meeting's retention period ends (``participants.privacy.retention``);
# required whenever a registration is saved before then.
PERSONAL_DATA_FIELDS = (
    "date_of_birth",
    "passport_number",
    "emergency_contact_name",
    "emergency_contact_phone",
)


def validate_passport_expiry(meeting: Meeting, expires_on: dt.date | None) -> None:
    required = portal.passport_valid_until_required(meeting)
    if expires_on is not None and expires_on < required:
        raise ValidationError(
            {
                "passport_expires_on": ValidationError(
                    "The passport must be valid until at least %(date)s, six months after "
                    "the meeting ends. Please renew it and give the new passport's details.",
                    code="passport_expires_too_soon",
                    params={"date": f"{required:%-d %B %Y}"},
                )
            }
        )


def validate_date_of_birth(born_on: dt.date | None) -> None:
    if born_on is not None and not dt.date(1900, 1, 1) <= born_on < timezone.now().date():
        raise ValidationError(
            {
                "date_of_birth": ValidationError(
                    "Enter your date of birth (a date in the past).", code="date_of_birth"
                )
            }
        )


def personal_data_change_reason(registration: Registration) -> str:
    """Which encrypted values changed, named but never shown: the history keeps no copy."""
    if registration.pk is None:
        return ""
    stored = Registration.objects.filter(pk=registration.pk).first()
    changed = [
        Registration._meta.get_field(name).verbose_name
        for name in ENCRYPTED_FIELDS
        if stored is not None and getattr(stored, name) != getattr(registration, name)
    ]
    return f"Changed: {', '.join(changed)} (values not kept in the history)" if changed else ""


@transaction.atomic
def register_participant(*, participant: Participant, details: dict, by: User) -> Registration:
    """Create or update the participant's registration; the first save completes it.

    Side effects: one ``Registration`` per participant (updated in place, so a second
    submission of the same form changes nothing twice); the participant moves from
    ACCEPTED to REGISTERED and is sent a confirmation. The participant may edit until the
    registration deadline; the meeting's organisers may always edit, except the consents,
    which are the participant's alone. Raises ``ValidationError`` otherwise.
    """
    participant = (
        Participant.objects.select_for_update().select_related("meeting").get(pk=participant.pk)
    )
    meeting = participant.meeting
    as_organiser = is_meeting_organiser(by, meeting)
    if participant.status not in (Status.ACCEPTED, Status.REGISTERED, Status.ATTENDED):
        raise ValidationError(
            "Registration opens once the invitation is accepted with a seat.",
            code="not_accepted",
        )
    if not as_organiser and not portal.registration_open(meeting):
        raise ValidationError(
            "Registration closed at the deadline; write to the secretariat for changes.",
            code="registration_closed",
        )
    if participant.user_id != by.pk and CONSENT_FIELDS & set(details):
        raise ValidationError(
            "Consents are the participant's own answers: only they can give or withdraw them.",
            code="consent_not_theirs",
        )
    validate_passport_expiry(meeting, details.get("passport_expires_on"))
    validate_date_of_birth(details.get("date_of_birth"))
    now = timezone.now()
    registration = Registration.objects.filter(participant=participant).first()
    if registration is None:
        registration = Registration(participant=participant, completed_at=now)
    for name in REGISTRATION_FIELDS:
        if name in details:
            setattr(registration, name, details[name])
    missing = {
        name: ValidationError("This field is required.", code="required")
        for name in PERSONAL_DATA_FIELDS
        if getattr(registration, name) in (None, "")
    }
    if missing:
        raise ValidationError(missing)
    registration.updated_by = by
    registration._history_user = by
    registration._change_reason = personal_data_change_reason(registration)
    registration.full_clean()
    registration.save()
    if participant.status == Status.ACCEPTED:
        change = change_status(
            participant=participant,
            to_status=Status.REGISTERED,
            changed_by=by,
            note="Registration completed",
            at=now,
        )
        _queue_step_email(participant, "registered", change)
    return registration


def update_registration(*, participant: Participant, details: dict, by: User) -> Registration:
    """An edit of an existing registration (the same rules as ``register_participant``)."""
    return register_participant(participant=participant, details=details, by=by)
