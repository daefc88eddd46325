"""Everything the system holds about one participant, as JSON and as a PDF (their copy).

``personal_data`` gathers it; ``as_json`` and ``as_pdf`` are pure builders (data in, bytes
out). Other apps add their part (visa letters, travel, hotel) through
``register_personal_data_section``, from their ``AppConfig.ready()``: a function taking the
participant and returning a list of ``{label: value}`` rows, or nothing.
"""

import datetime as dt
import io
import json
from collections.abc import Callable
from xml.sax.saxutils import escape

from django.utils import timezone

from notifications.models import Message

from ..models import Paper, Participant, Registration, SessionRole

Rows = list[dict[str, object]]
_sections: list[tuple[str, Callable[[Participant], Rows]]] = []


def register_personal_data_section(title: str, fn: Callable[[Participant], Rows]) -> None:
    """Add a section (``fn(participant)`` returns rows of label -> value) to the download."""
    if (title, fn) not in _sections:
        _sections.append((title, fn))


def _plain(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "code"):  # a django-countries Country
        return str(value.name or "")
    return str(value)


def _person(participant: Participant) -> dict[str, object]:
    return {
        "Meeting": participant.meeting.title,
        "Honorific": participant.honorific,
        "Given name": participant.given_name,
        "Family name": participant.family_name,
        "Email": participant.email,
        "Organisation": participant.organisation,
        "Job title": participant.job_title,
        "Country": participant.country,
        "Nationality": participant.nationality,
        "Gender": participant.get_gender_display() if participant.gender else "",
        "Region": participant.get_region_display() if participant.region else "",
        "Role": participant.get_role_display(),
        "Funded by the UN": participant.funded,
        "Status": participant.get_status_display(),
        "Invited at": participant.invited_at,
        "Responded at": participant.responded_at,
        "Registered at": participant.registered_at,
        "Reason for declining": participant.decline_reason,
    }


def _registration(participant: Participant) -> Rows:
    registration = Registration.objects.filter(participant=participant).first()
    if registration is None:
        return []
    return [
        {
            "Name in passport": registration.passport_name,
            "Nationality": registration.nationality,
            "Date of birth": registration.date_of_birth,
            "Passport number": registration.passport_number,
            "Passport issued by": registration.passport_issuing_country,
            "Passport valid until": registration.passport_expires_on,
            "Dietary needs": registration.dietary_needs,
            "Accessibility needs": registration.accessibility_needs,
            "Emergency contact": registration.emergency_contact_name,
            "Emergency contact telephone": registration.emergency_contact_phone,
            "Listed in the participant list": registration.consent_listed,
            "Papers may be published": registration.consent_publish_papers,
            "Completed at": registration.completed_at,
            "Passport details deleted at": registration.personal_data_deleted_at,
        }
    ]


def _timeline(participant: Participant) -> Rows:
    return [
        {
            "When": change.changed_at,
            "From": change.get_from_status_display(),
            "To": change.get_to_status_display(),
            "Note": change.note,
        }
        for change in participant.status_changes.all()
    ]


def _papers(participant: Participant) -> Rows:
    paper = Paper.objects.filter(participant=participant).first()
    if paper is None:
        return []
    return [
        {
            "Title": paper.title,
            "Version": version.number,
            "File": version.original_name,
            "Pages": version.page_count,
            "Uploaded at": version.uploaded_at,
            "Review": paper.get_review_status_display(),
            "Consent to publish": paper.consent_publish,
        }
        for version in paper.versions.all()
    ]


def _programme(participant: Participant) -> Rows:
    return [
        {
            "Session": role.session.title,
            "Part": role.get_part_display(),
            "Starts at": role.session.starts_at,
        }
        for role in SessionRole.objects.filter(participant=participant)
        .select_related("session")
        .order_by("session__starts_at")
    ]


def _messages(participant: Participant) -> Rows:
    return [
        {
            "Subject": message.subject,
            "Status": message.get_status_display(),
            "Queued at": message.created_at,
            "Sent at": message.sent_at,
        }
        for message in Message.objects.filter(
            meeting_id=participant.meeting_id, recipient__iexact=participant.email
        ).order_by("created_at")
    ]


def personal_data(participant: Participant) -> dict[str, Rows]:
    """Sections of label -> value rows, every value plain (text, number, ISO date)."""
    sections = {
        "You": [_person(participant)],
        "Registration": _registration(participant),
        "Status history": _timeline(participant),
        "Paper": _papers(participant),
        "Parts in the programme": _programme(participant),
        "Emails sent to you": _messages(participant),
    }
    for title, fn in _sections:
        sections[title] = list(fn(participant) or [])
    return {
        title: [{label: _plain(value) for label, value in row.items()} for row in rows]
        for title, rows in sections.items()
    }


def as_json(data: dict[str, Rows]) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def as_pdf(data: dict[str, Rows], *, title: str) -> bytes:
    """A readable A4 document: one heading per section, one table per row."""
    from reportlab.lib import colors  # noqa: PLC0415 (slow to import; only this page needs it)
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="EGM Desk")
    story = [Paragraph(escape(title), styles["Title"])]
    for section, rows in data.items():
        story.append(Paragraph(escape(section), styles["Heading2"]))
        if not rows:
            story.append(Paragraph("Nothing held.", styles["Normal"]))
        for row in rows:
            cells = [
                [
                    Paragraph(escape(str(label)), styles["Normal"]),
                    Paragraph(escape(str(value)), styles["Normal"]),
                ]
                for label, value in row.items()
            ]
            table = Table(cells, colWidths=[160, 300])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.extend([table, Spacer(1, 8)])
    document.build(story)
    return buffer.getvalue()
