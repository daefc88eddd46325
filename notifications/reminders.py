"""Deadline reminders: who is owed which reminder, when each fires, and sending them.

A ``ReminderRule`` names a deadline, offsets before it, an audience and an editable
template. ``dispatch_due`` (the beat task, every few minutes) fans out each offset once,
when it comes due, to the audience of that moment, with one message per person keyed by
rule, offset, person and deadline: overlapping runs, two beats or a retried task never
send twice. After downtime the latest missed offset goes once while the deadline is
ahead (the earlier missed ones are recorded as skipped); after the deadline nothing goes.
At send time the outbox asks ``reasons_not_to_send`` whether the person still owes, and
cancels the message with the reason when not.

Sits on top of every app (see DESIGN.md): the audiences read participants, papers and
logistics, all in the "Audiences" section below, so a change of those models is adapted
in one place.
"""

import datetime as dt
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template import Context, Engine, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil

from agenda.calendars import add_timezone, deadline_event, new_calendar
from agenda.models import Deadline, DeadlineKind, Meeting
from logistics.models import Letter, LetterKind, LetterRequest
from participants.models import SEAT_HOLDING_STATUSES, PaperVersion, Participant, Role, Status

from . import outbox
from .models import (
    Message,
    MessageStatus,
    ReminderAudience,
    ReminderFiring,
    ReminderFiringStatus,
    ReminderRule,
)

logger = logging.getLogger(__name__)

KIND = "reminder"
# Only one dispatch at a time; the firing's unique row and the message keys are the real
# guarantee, the lock saves a second run the work.
LOCK_KEY = "notifications:reminders:dispatch"
LOCK_SECONDS = 10 * 60

# The paper deadline's defaults: 14, 7 and 2 days before, and on the day, at 08:00.
PAPER_DEFAULT_OFFSETS = [
    {"days": 14, "time": "08:00"},
    {"days": 7, "time": "08:00"},
    {"days": 2, "time": "08:00"},
    {"days": 0, "time": "08:00"},
]


# ---------------------------------------------------------------------------- offsets


@dataclass(frozen=True)
class Offset:
    """``days`` before the deadline's day at ``time`` in the meeting's zone; with no
    ``time``, exactly ``days`` before the due instant."""

    days: int
    time: dt.time | None = None

    @property
    def key(self) -> str:
        """'14d@0800': part of idempotency keys, so it holds no colon."""
        return f"{self.days}d@{self.time:%H%M}" if self.time else f"{self.days}d"

    @property
    def label(self) -> str:
        before = f"{self.days} day{'s' * (self.days != 1)} before"
        if self.time is None:
            return "at the due time" if self.days == 0 else f"{before} the due time"
        return f"{'on the day' if self.days == 0 else before}, at {self.time:%H:%M}"

    def as_json(self) -> dict:
        return {"days": self.days, "time": f"{self.time:%H:%M}" if self.time else ""}

    def send_at(self, deadline: Deadline, zone) -> dt.datetime:
        if self.time is None:
            return deadline.due_at - dt.timedelta(days=self.days)
        day = timezone.localtime(deadline.due_at, zone).date() - dt.timedelta(days=self.days)
        return dt.datetime.combine(day, self.time, tzinfo=zone)


_OFFSET_TEXT = re.compile(r"^(\d{1,3})\s*d(?:ays?)?(?:\s+(?:at\s+)?(\d{1,2}):(\d{2}))?$")


def parse_offsets(value) -> list[Offset]:
    """Offsets from the stored JSON list; raises ``ValidationError`` on a malformed item."""
    offsets = []
    for item in value or []:
        try:
            days = int(item["days"])
            text = (item.get("time") or "").strip()
            time = dt.time.fromisoformat(text) if text else None
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                "Offset %(item)s is not understood.", code="offset", params={"item": item}
            ) from exc
        if days < 0:
            raise ValidationError("An offset cannot be after the deadline.", code="offset")
        offsets.append(Offset(days, time))
    return offsets


def parse_offsets_text(text: str) -> list[dict]:
    """'14d 08:00, 7d 08:00, 2d, 0d 08:00' as stored JSON; raises ``ValidationError``."""
    offsets = []
    for part in filter(None, (piece.strip() for piece in re.split(r"[,;\n]", text))):
        match = _OFFSET_TEXT.match(part.lower())
        if not match:
            raise ValidationError(
                "'%(part)s' is not an offset: write days before and an optional time, "
                "such as '7d 08:00' (0d is the deadline's day).",
                code="offset",
                params={"part": part},
            )
        days, hour, minute = match.groups()
        time = ""
        if hour is not None:
            try:
                time = f"{dt.time(int(hour), int(minute)):%H:%M}"
            except ValueError as exc:
                raise ValidationError(
                    "'%(part)s' has no valid time of day.", code="offset", params={"part": part}
                ) from exc
        offsets.append({"days": int(days), "time": time})
    return offsets


def offsets_text(value) -> str:
    return ", ".join(
        f"{offset.days}d {offset.time:%H:%M}" if offset.time else f"{offset.days}d"
        for offset in parse_offsets(value)
    )


def schedule(rule: ReminderRule) -> list[tuple[Offset, dt.datetime]]:
    """The rule's offsets with their send times, earliest first."""
    deadline = rule.deadline
    zone = deadline.meeting.zone
    pairs = [(offset, offset.send_at(deadline, zone)) for offset in parse_offsets(rule.offsets)]
    return sorted(pairs, key=lambda pair: pair[1])


def format_moment(meeting: Meeting, moment: dt.datetime) -> str:
    """'Thursday 5 November 2009, 08:00 Africa/Accra (GMT)'."""
    local = meeting.local(moment)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {meeting.zone_label(moment)}"


# ---------------------------------------------------------------------------- audiences
# Everything that decides who owes what lives here. The logistics models are read as they
# are today; when they change, only these functions change.


def _in_deadline_roles(deadline: Deadline) -> Q:
    return Q(role__in=deadline.roles) if deadline.roles else Q()


def _owes_paper(meeting: Meeting) -> Q:
    roles = meeting.paper_roles or [Role.EXPERT]
    return Q(paper_requested=True) | Q(paper_requested__isnull=True, role__in=roles)


def _paper_missing(deadline: Deadline, now: dt.datetime) -> QuerySet[Participant]:
    """Experts (those asked for a paper) holding a seat, with no version in by now and on
    time. Versions are read by their upload time, so the question is asked as of ``now``."""
    on_time = PaperVersion.objects.filter(
        paper__participant=OuterRef("pk"),
        uploaded_at__lte=min(now, deadline.due_at),
    )
    return (
        Participant.objects.filter(meeting_id=deadline.meeting_id, status__in=SEAT_HOLDING_STATUSES)
        .filter(_owes_paper(deadline.meeting))
        .exclude(Exists(on_time))
    )


def _not_answered(deadline: Deadline) -> QuerySet[Participant]:
    return Participant.objects.filter(meeting_id=deadline.meeting_id, status=Status.INVITED).filter(
        _in_deadline_roles(deadline)
    )


def _not_registered(deadline: Deadline) -> QuerySet[Participant]:
    return Participant.objects.filter(
        meeting_id=deadline.meeting_id, status=Status.ACCEPTED
    ).filter(_in_deadline_roles(deadline))


def _no_travel_details(deadline: Deadline) -> QuerySet[Participant]:
    """Registered, and no travel plan with an arrival time yet."""
    return (
        Participant.objects.filter(
            meeting_id=deadline.meeting_id, status__in=(Status.REGISTERED, Status.ATTENDED)
        )
        .filter(_in_deadline_roles(deadline))
        .filter(Q(travel_plan__isnull=True) | Q(travel_plan__arrival_at__isnull=True))
    )


def _visa_letter_pending(deadline: Deadline) -> QuerySet[Participant]:
    """Asked for a visa letter (an open request) and have none in force."""
    in_force = Letter.objects.filter(
        participant=OuterRef("pk"), kind=LetterKind.VISA, revoked_at__isnull=True
    )
    asked = LetterRequest.objects.filter(
        participant=OuterRef("pk"), kind=LetterKind.VISA, handled_at__isnull=True
    )
    return (
        Participant.objects.filter(meeting_id=deadline.meeting_id, status__in=SEAT_HOLDING_STATUSES)
        .filter(_in_deadline_roles(deadline))
        .filter(Exists(asked))
        .exclude(Exists(in_force))
    )


def _selected(rule: ReminderRule) -> QuerySet[Participant]:
    return rule.selected.exclude(status__in=(Status.DECLINED, Status.CANCELLED))


def audience(rule: ReminderRule, *, now: dt.datetime | None = None) -> QuerySet[Participant]:
    """The participants who owe what ``rule`` reminds of, as of ``now``."""
    now = now or timezone.now()
    deadline = rule.deadline
    found = {
        ReminderAudience.PAPER_MISSING: lambda: _paper_missing(deadline, now),
        ReminderAudience.NOT_ANSWERED: lambda: _not_answered(deadline),
        ReminderAudience.NOT_REGISTERED: lambda: _not_registered(deadline),
        ReminderAudience.NO_TRAVEL_DETAILS: lambda: _no_travel_details(deadline),
        ReminderAudience.VISA_LETTER_PENDING: lambda: _visa_letter_pending(deadline),
        ReminderAudience.SELECTED: lambda: _selected(rule),
    }[rule.audience]()
    return found.order_by("family_name", "given_name", "pk")


DEFAULT_AUDIENCE = {
    DeadlineKind.PAPER: ReminderAudience.PAPER_MISSING,
    DeadlineKind.REGISTRATION: ReminderAudience.NOT_REGISTERED,
    DeadlineKind.TRAVEL_DETAILS: ReminderAudience.NO_TRAVEL_DETAILS,
    DeadlineKind.VISA_REQUEST: ReminderAudience.VISA_LETTER_PENDING,
}

WHAT_TO_DO = {
    ReminderAudience.PAPER_MISSING: "send your paper of the agreed length through your page",
    ReminderAudience.NOT_ANSWERED: "answer the invitation with the link in it",
    ReminderAudience.NOT_REGISTERED: "complete your registration",
    ReminderAudience.NO_TRAVEL_DETAILS: "send your arrival and departure flights",
    ReminderAudience.VISA_LETTER_PENDING: "write to us about your visa support letter",
    ReminderAudience.SELECTED: "complete what is asked before the deadline",
}


def default_templates(audience_value: str) -> tuple[str, str]:
    """A subject and body to start from; organisers edit them freely."""
    subject = "{{ meeting }}: {{ deadline }} due {{ due_date }}"
    body = (
        "Dear {{ name }},\n\n"
        "This is a reminder for the {{ meeting_title }}: please "
        f"{WHAT_TO_DO.get(audience_value, WHAT_TO_DO[ReminderAudience.SELECTED])} by "
        "{{ due }} ({{ time_left }} from now).\n\n"
        "{{ deadline_description }}\n\n"
        "Your page for the meeting: {{ portal_url }}\n\n"
        "The attached calendar file puts the deadline in your calendar; it replaces the "
        "one of any earlier reminder.\n\n"
        "With kind regards,\n{{ contact_name }}\n{{ contact_email }}\n"
    )
    return subject, body


# ---------------------------------------------------------------------------- rendering


class TemplateProblem(Exception):
    """The rule's template cannot be rendered; the message says where."""


def shared_context(rule: ReminderRule, *, now: dt.datetime) -> dict:
    """What every recipient's message says alike: worked out once per fan-out."""
    deadline = rule.deadline
    meeting = deadline.meeting
    due = meeting.local(deadline.due_at)
    return {
        "meeting": str(meeting),
        "meeting_title": meeting.title,
        "deadline": deadline.get_kind_display(),
        "deadline_description": deadline.description,
        "due": format_moment(meeting, deadline.due_at),
        "due_date": f"{due.day} {due:%B %Y}",
        "time_left": timeuntil(deadline.due_at, now, depth=2).replace("\xa0", " "),
        "portal_url": settings.SITE_URL
        + reverse("participant:portal", kwargs={"slug": meeting.slug}),
        "contact_name": meeting.contact_name,
        "contact_email": meeting.contact_email,
    }


def context_for(
    rule: ReminderRule, participant: Participant, *, now: dt.datetime, shared: dict | None = None
) -> dict:
    """Plain strings only: an editable template can reach nothing else (no passports)."""
    return {
        **(shared if shared is not None else shared_context(rule, now=now)),
        "name": participant.formal_name,
        "given_name": participant.given_name,
        "family_name": participant.family_name,
        "email": participant.email,
    }


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def compile_templates(rule: ReminderRule):
    try:
        engine = Engine.get_default()
        return engine.from_string(rule.subject_template), engine.from_string(rule.body_template)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"The template does not render: {exc}") from exc


def render(
    rule: ReminderRule,
    participant: Participant,
    *,
    now: dt.datetime,
    compiled=None,
    shared: dict | None = None,
) -> Rendered:
    """The participant's subject and body; raises ``TemplateProblem`` with the error."""
    subject_template, body_template = compiled or compile_templates(rule)
    context = Context(context_for(rule, participant, now=now, shared=shared), autoescape=False)
    try:
        subject = " ".join(subject_template.render(context).split())
        body = body_template.render(context)
    except Exception as exc:  # any error raised by a tag the organisers wrote
        raise TemplateProblem(
            f"The template does not render: {exc.__class__.__name__}: {exc}"
        ) from exc
    if not subject:
        raise TemplateProblem("The subject is empty once rendered.")
    return Rendered(subject=subject[:300], body=body)


def calendar_file(deadline: Deadline, *, now: dt.datetime) -> bytes:
    """The deadline as an event with its alarms: the same UID as in the personal feed, so
    each reminder updates one calendar entry."""
    meeting = deadline.meeting
    calendar = new_calendar(f"{meeting}: {deadline.get_kind_display()}")
    add_timezone(calendar, meeting)
    calendar.add_component(deadline_event(meeting, deadline, now))
    return calendar.to_ical()


# ---------------------------------------------------------------------------- validation


def validate_rule(
    *,
    deadline: Deadline,
    offsets: list[dict],
    subject_template: str,
    body_template: str,
    made_at: dt.datetime,
    kept_offsets: frozenset[str] = frozenset(),
) -> None:
    """Refuse, with the reason, offsets after the deadline or before the rule was made (or,
    for a rule being changed, before the change), and templates that do not compile.
    ``kept_offsets`` (keys) were on the rule already: they may lie in the past."""
    errors: dict[str, list] = {}
    try:
        parsed = parse_offsets(offsets)
    except ValidationError as exc:
        errors["offsets"] = exc.messages
        parsed = []
    if not offsets:
        errors["offsets"] = ["Give at least one offset, such as '7d 08:00'."]
    meeting = deadline.meeting
    seen = set()
    for offset in parsed:
        if offset.key in seen:
            errors.setdefault("offsets", []).append(f"The offset {offset.label} is given twice.")
        seen.add(offset.key)
        at = offset.send_at(deadline, meeting.zone)
        if at >= deadline.due_at:
            errors.setdefault("offsets", []).append(
                f"The reminder {offset.label} would go {format_moment(meeting, at)}, "
                f"not before the deadline ({format_moment(meeting, deadline.due_at)})."
            )
        elif at < made_at and offset.key not in kept_offsets:
            errors.setdefault("offsets", []).append(
                f"The reminder {offset.label} would go {format_moment(meeting, at)}, "
                f"before the rule was {'changed' if kept_offsets else 'made'} "
                f"({format_moment(meeting, made_at)})."
            )
    for name, text in (("subject_template", subject_template), ("body_template", body_template)):
        try:
            Engine.get_default().from_string(text)
        except TemplateSyntaxError as exc:
            errors[name] = [f"The template does not render: {exc}"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_rule(
    *,
    deadline: Deadline,
    name: str,
    audience: str,
    offsets: list[dict],
    subject_template: str,
    body_template: str,
    selected: list[Participant] | None = None,
    is_active: bool = True,
    by=None,
    rule: ReminderRule | None = None,
) -> ReminderRule:
    """Create (``rule`` None) or change a reminder rule after ``validate_rule``.

    Side effects: writes the rule and its selection; nothing is sent here (the beat task
    sends when an offset comes due). Raises ``ValidationError``, writing nothing.
    """
    now = timezone.now()
    kept = frozenset()
    if rule is not None:
        kept = frozenset(offset.key for offset in parse_offsets(rule.offsets))
    validate_rule(
        deadline=deadline,
        offsets=offsets,
        subject_template=subject_template,
        body_template=body_template,
        made_at=now,
        kept_offsets=kept,
    )
    if audience not in ReminderAudience.values:
        raise ValidationError({"audience": ["Choose who the reminder goes to."]})
    if rule is None:
        rule = ReminderRule(created_at=now, created_by=by)
    rule.deadline = deadline
    rule.name = name.strip()
    rule.audience = audience
    rule.offsets = [offset.as_json() for offset in parse_offsets(offsets)]
    rule.subject_template = subject_template
    rule.body_template = body_template
    rule.is_active = is_active
    rule.full_clean(exclude=["selected"])
    rule.save()
    if selected is not None:
        rule.selected.set([p for p in selected if p.meeting_id == deadline.meeting_id])
    return rule


# ---------------------------------------------------------------------------- preview


@dataclass
class Preview:
    rule: ReminderRule
    recipients: list[Participant]
    next_offset: Offset | None
    next_at: dt.datetime | None
    sample: Rendered | None = None
    error: str = ""
    firings: list[tuple[ReminderFiring, str]] = field(default_factory=list)


def next_firing(
    rule: ReminderRule, *, now: dt.datetime
) -> tuple[Offset | None, dt.datetime | None]:
    """The next offset to fire and when, as ``dispatch_due`` will do it: an offset that is
    due and not yet fired goes at the next run (the latest of them, once); otherwise the
    next one ahead. None once the deadline has passed, the rule is off or all have gone."""
    if not rule.is_active or rule.deadline.due_at <= now:
        return None, None
    pending = _pending(rule, now=now)
    if pending:
        return pending[-1][0], now
    fired = _fired(rule)
    for offset, at in schedule(rule):
        if at > now and offset.key not in fired:
            return offset, at
    return None, None


def label_for_key(key: str) -> str:
    """'7 days before, at 08:00' for a firing's offset key; manual keys say so."""
    match = re.fullmatch(r"(\d+)d(?:@(\d{2})(\d{2}))?", key)
    if not match:
        return "sent by hand"
    days, hour, minute = match.groups()
    return Offset(int(days), dt.time(int(hour), int(minute)) if hour else None).label


def preview(rule: ReminderRule, *, now: dt.datetime | None = None) -> Preview:
    """What the rule sends next and exactly to whom (the audience as of now); the first
    recipient's message rendered, or the template's error."""
    now = now or timezone.now()
    offset, at = next_firing(rule, now=now)
    recipients = list(audience(rule, now=now))
    result = Preview(
        rule=rule,
        recipients=recipients,
        next_offset=offset,
        next_at=at,
        firings=[
            (firing, label_for_key(firing.offset))
            for firing in rule.firings.order_by("due_at", "pk")
        ],
    )
    sample_person = recipients[0] if recipients else _stand_in(rule)
    try:
        result.sample = render(rule, sample_person, now=now)
    except TemplateProblem as exc:
        result.error = str(exc)
    return result


def _stand_in(rule: ReminderRule) -> Participant:
    return Participant(
        meeting=rule.deadline.meeting,
        honorific="Dr.",
        given_name="Ama",
        family_name="Mensah",
        email="ama.mensah@example.org",
        role=Role.EXPERT,
    )


# ---------------------------------------------------------------------------- sending


# What a reminder reads of each person (the fan-out loads thousands).
PERSON_FIELDS = ("pk", "meeting_id", "honorific", "given_name", "family_name", "email")


def idempotency_key(rule: ReminderRule, offset_key: str, participant_id: int) -> str:
    due = int(rule.deadline.due_at.timestamp())
    return f"{KIND}:{rule.pk}:{offset_key}:{participant_id}:{due}"


@dataclass
class FanOut:
    queued: list[Message] = field(default_factory=list)
    failed: list[Message] = field(default_factory=list)
    existing: int = 0


def _queue_for(
    rule: ReminderRule,
    participants: list[Participant],
    *,
    offset_key: str,
    now: dt.datetime,
    compiled,
) -> FanOut:
    """One message per participant, each with the deadline's calendar file.

    An address that is not an email address makes a failed message of its own, with the
    reason; the others go. Renders everything before writing: a template error raises
    ``TemplateProblem`` and nothing is queued.
    """
    meeting = rule.deadline.meeting
    shared = shared_context(rule, now=now)
    rendered = [
        (person, render(rule, person, now=now, compiled=compiled, shared=shared))
        for person in participants
    ]
    ics = outbox.Attachment("deadline.ics", calendar_file(rule.deadline, now=now), "text/calendar")
    result = FanOut()
    valid = []
    for person, message in rendered:
        key = idempotency_key(rule, offset_key, person.pk)
        try:
            validate_email(person.email)
        except ValidationError:
            failed, created = Message.objects.get_or_create(
                idempotency_key=key,
                defaults={
                    "recipient": person.email[:254],
                    "subject": message.subject,
                    "body_text": message.body,
                    "kind": KIND,
                    "meeting": meeting,
                    "status": MessageStatus.FAILED,
                    "last_error": f"Not sent: '{person.email}' is not a valid email address.",
                },
            )
            if created:
                result.failed.append(failed)
            continue
        valid.append(
            {
                "recipient": person.email,
                "subject": message.subject,
                "body_text": message.body,
                "idempotency_key": key,
            }
        )
    result.queued, result.existing = outbox.queue_many(
        valid,
        kind=KIND,
        meeting=meeting,
        attachments=[ics],
        batch=outbox.bulk_batch(meeting, len(valid)),
    )
    return result


@dataclass
class DispatchResult:
    fired: list[ReminderFiring] = field(default_factory=list)
    skipped: list[ReminderFiring] = field(default_factory=list)
    errors: list[tuple[ReminderRule, str]] = field(default_factory=list)
    locked: bool = False


def dispatch_due(*, now: dt.datetime | None = None) -> DispatchResult:
    """Fan out every offset that has come due, once; the beat task's work.

    Side effects: for each active rule whose deadline is ahead, the latest due offset not
    yet fired gets a ``ReminderFiring`` and one queued message per person owed (earlier
    missed offsets get a skipped firing with the reason); sending follows on commit. A
    rule whose template does not render sends nothing and is logged, to fire once fixed.
    Returns early (``locked``) while another dispatch runs.
    """
    now = now or timezone.now()
    result = DispatchResult()
    if not cache.add(LOCK_KEY, now.isoformat(), LOCK_SECONDS):
        result.locked = True
        return result
    try:
        rules = (
            ReminderRule.objects.filter(is_active=True, deadline__due_at__gt=now)
            .select_related("deadline__meeting")
            .order_by("pk")
        )
        for rule in rules:
            _fire_rule(rule, now=now, result=result)
    finally:
        cache.delete(LOCK_KEY)
    return result


def _fired(rule: ReminderRule) -> set[str]:
    """Keys of the offsets already fired (or skipped) for the deadline's current time."""
    return set(
        ReminderFiring.objects.filter(rule=rule, deadline_due_at=rule.deadline.due_at).values_list(
            "offset", flat=True
        )
    )


def _pending(rule: ReminderRule, *, now: dt.datetime) -> list[tuple[Offset, dt.datetime]]:
    """Offsets due by ``now``, made after the rule, not yet fired; earliest first."""
    return pending_offsets(rule, now=now, fired=_fired(rule))


def pending_offsets(
    rule: ReminderRule, *, now: dt.datetime, fired: Collection[str]
) -> list[tuple[Offset, dt.datetime]]:
    """``_pending`` with the fired offsets' keys given. A run sends the last of them and
    records the earlier ones as skipped."""
    return [
        (offset, at)
        for offset, at in schedule(rule)
        if rule.created_at <= at <= now and offset.key not in fired
    ]


def _fire_rule(rule: ReminderRule, *, now: dt.datetime, result: DispatchResult) -> None:
    if not _pending(rule, now=now):
        return
    try:
        compiled = compile_templates(rule)
    except TemplateProblem as exc:
        logger.warning("Reminder rule %s not sent: %s", rule.pk, exc)
        result.errors.append((rule, str(exc)))
        return
    deadline = rule.deadline
    try:
        with transaction.atomic():
            # Another run holding this rule is doing the work; on SQLite the firing's
            # unique constraint stops the second one instead.
            if not ReminderRule.objects.select_for_update(skip_locked=True).filter(pk=rule.pk):
                return
            pending = _pending(rule, now=now)
            if not pending:
                return
            (offset, at), missed = pending[-1], pending[:-1]
            for missed_offset, missed_at in missed:
                result.skipped.append(
                    ReminderFiring.objects.create(
                        rule=rule,
                        offset=missed_offset.key,
                        deadline_due_at=deadline.due_at,
                        due_at=missed_at,
                        fired_at=now,
                        status=ReminderFiringStatus.SKIPPED,
                        note=(
                            "Missed while reminders were not running; the later reminder "
                            f"({offset.label}) went instead, once."
                        ),
                    )
                )
            people = list(audience(rule, now=now).only(*PERSON_FIELDS))
            fan_out = _queue_for(rule, people, offset_key=offset.key, now=now, compiled=compiled)
            note = ""
            if fan_out.failed:
                note = f"{len(fan_out.failed)} not sent: invalid address."
            result.fired.append(
                ReminderFiring.objects.create(
                    rule=rule,
                    offset=offset.key,
                    deadline_due_at=deadline.due_at,
                    due_at=at,
                    fired_at=now,
                    status=ReminderFiringStatus.SENT,
                    recipients=len(fan_out.queued),
                    note=note,
                )
            )
    except TemplateProblem as exc:
        logger.warning("Reminder rule %s not sent: %s", rule.pk, exc)
        result.errors.append((rule, str(exc)))
    except IntegrityError:
        logger.info("Reminder rule %s was fired by another run.", rule.pk)


def split_selected(
    rule: ReminderRule, participant_ids: list[int], *, now: dt.datetime
) -> tuple[list[Participant], list[Participant]]:
    """Of the chosen participants of the rule's meeting: (those who owe, those who do not)."""
    owed = list(audience(rule, now=now).filter(pk__in=participant_ids))
    not_owed = list(
        Participant.objects.filter(meeting_id=rule.deadline.meeting_id, pk__in=participant_ids)
        .exclude(pk__in=[person.pk for person in owed])
        .order_by("family_name", "given_name", "pk")
    )
    return owed, not_owed


def preview_selected(
    rule: ReminderRule, participant_ids: list[int], *, now: dt.datetime | None = None
) -> Preview:
    """What "remind the selected" would send now: to whom, and the first message."""
    now = now or timezone.now()
    owed, _ = split_selected(rule, participant_ids, now=now)
    result = Preview(rule=rule, recipients=owed, next_offset=None, next_at=now)
    try:
        result.sample = render(rule, owed[0] if owed else _stand_in(rule), now=now)
    except TemplateProblem as exc:
        result.error = str(exc)
    return result


@transaction.atomic
def remind_selected(
    *,
    rule: ReminderRule,
    participant_ids: list[int],
    now: dt.datetime | None = None,
) -> tuple[FanOut, list[Participant]]:
    """Send the rule's message now to those of the chosen who still owe.

    Keyed like the scheduled reminders with a manual offset of the day, so a double click
    or a second organiser the same day sends nothing more. Returns the fan-out and those
    of the chosen who were not reminded because they no longer owe. Raises
    ``TemplateProblem`` (nothing queued) when the template does not render, and
    ``ValidationError`` once the deadline has passed.
    """
    now = now or timezone.now()
    if rule.deadline.due_at <= now:
        raise ValidationError("The deadline has passed: reminders are no longer sent.")
    owed, not_owed = split_selected(rule, participant_ids, now=now)
    offset_key = f"manual{timezone.localtime(now, rule.deadline.meeting.zone):%Y%m%d}"
    compiled = compile_templates(rule)
    fan_out = _queue_for(rule, owed, offset_key=offset_key, now=now, compiled=compiled)
    return fan_out, not_owed


def reasons_not_to_send(messages: list[Message]) -> dict[int, str]:
    """The outbox's send-time question for reminders: why each of ``messages`` should not
    go, by message id (those still owed are left out). One query for the rules and one per
    rule for who still owes, whatever the number of messages."""
    now = timezone.now()
    wanted: dict[int, tuple[int, int, int]] = {}  # message id: (rule, participant, due)
    for message in messages:
        try:
            _, rule_id, _, participant_id, due = message.idempotency_key.split(":")
            wanted[message.pk] = (int(rule_id), int(participant_id), int(due))
        except ValueError:
            continue
    rules = ReminderRule.objects.select_related("deadline__meeting").in_bulk(
        {rule_id for rule_id, _, _ in wanted.values()}
    )
    owing: dict[int, set[int]] = {}
    for rule in rules.values():
        if rule.is_active and rule.deadline.due_at > now:
            people = [person for rule_id, person, _ in wanted.values() if rule_id == rule.pk]
            owing[rule.pk] = set(
                audience(rule, now=now).filter(pk__in=people).values_list("pk", flat=True)
            )
    reasons = {}
    for message_id, (rule_id, participant_id, due) in wanted.items():
        rule = rules.get(rule_id)
        if rule is None:
            reasons[message_id] = "Cancelled at send time: the reminder rule was deleted."
        elif not rule.is_active:
            reasons[message_id] = "Cancelled at send time: the reminder rule was switched off."
        elif int(rule.deadline.due_at.timestamp()) != due:
            reasons[message_id] = (
                "Cancelled at send time: the deadline moved; the new schedule reminds instead."
            )
        elif rule.deadline.due_at <= now:
            reasons[message_id] = "Cancelled at send time: the deadline has passed."
        elif participant_id not in owing[rule.pk]:
            reasons[message_id] = (
                "Cancelled at send time: no longer owed "
                f"({rule.get_audience_display().lower()} no longer includes this participant)."
            )
    return reasons
