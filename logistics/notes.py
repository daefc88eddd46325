"""The travel information note as printed: its sections in order, and its PDF."""

from . import letters
from .models import InformationNote


def note_content(note: InformationNote) -> letters.NoteContent:
    meeting = note.meeting
    venue = meeting.venue
    place = f", {venue.name}, {venue.city}" if venue else ""
    sections = note.sections()
    if note.dsa_rate is not None:
        sections.append(
            (
                "Allowance rate",
                f"{note.dsa_currency} {note.dsa_rate:,.2f} per night for funded participants.",
            )
        )
    return letters.NoteContent(
        title=f"Information note for participants: {meeting.title}",
        subtitle=f"{meeting.starts_on:%-d} to {meeting.ends_on:%-d %B %Y}{place}",
        sections=sections,
        footer=f"Version {note.version}. {meeting.organiser}",
    )


def note_pdf_bytes(note: InformationNote) -> bytes:
    return letters.note_pdf(note_content(note))
