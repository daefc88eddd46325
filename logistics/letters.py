"""Letters and the information note as PDF: plain values in, PDF bytes out (ReportLab).

No database and no HTTP here, so the same code draws a letter in the issuing task, in the
organisers' preview and in the benchmark. The verification QR code is made by segno and
placed as a PNG image, so that a reader (or a test) can take it back out of the PDF.
"""

import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# What each kind of letter may say. Passport data belongs to the visa letter alone: the
# invitation letter goes to an employer, who has no business with it.
COMMON_PLACEHOLDERS = frozenset(
    {
        "honorific",
        "full_name",
        "formal_name",
        "organisation",
        "job_title",
        "nationality",
        "meeting_title",
        "meeting_dates",
        "meeting_city",
        "venue",
        "organiser",
        "host",
        "stay_dates",
        "costs_borne_by",
        "reference",
        "date",
    }
)
PASSPORT_PLACEHOLDERS = frozenset(
    {"name_in_passport", "passport_number", "passport_expiry", "embassy"}
)
PLACEHOLDERS = {
    "visa": COMMON_PLACEHOLDERS | PASSPORT_PLACEHOLDERS,
    "invitation": COMMON_PLACEHOLDERS,
}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class UnknownPlaceholder(ValueError):
    """A template names placeholders that this kind of letter does not have."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        listed = ", ".join("{" + name + "}" for name in names)
        super().__init__(f"Unknown placeholder in the template: {listed}.")


def unknown_placeholders(text: str, kind: str) -> list[str]:
    """Placeholders in ``text`` that a letter of ``kind`` cannot fill, in order, once each."""
    known = PLACEHOLDERS[kind]
    found = []
    for name in _PLACEHOLDER.findall(text):
        if name not in known and name not in found:
            found.append(name)
    return found


def fill(text: str, values: dict[str, str], kind: str) -> str:
    """Replace placeholders with values; raises ``UnknownPlaceholder`` naming the strangers.

    Plain substitution, not ``str.format``: a template is organiser input and must not reach
    attributes of the values.
    """
    unknown = unknown_placeholders(text, kind)
    if unknown:
        raise UnknownPlaceholder(unknown)
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


@dataclass(frozen=True)
class LetterContent:
    """Everything printed on one letter, already filled in."""

    reference: str
    date: str
    letterhead: str
    addressee: str
    body: str
    signatory_name: str
    signatory_title: str
    verification_url: str
    verification_code: str
    title: str = ""
    signature_image: bytes | None = None


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=4, border=4)
    return buffer.getvalue()


# Names come from every country: the PDF standard fonts know Latin-1 only (no "Ł", no "ễ"),
# so letters embed DejaVu Sans (checked in beside this module, with its licence).
FONTS = Path(__file__).resolve().parent / "fonts"
FONT, BOLD_FONT = "DejaVuSans", "DejaVuSans-Bold"


@functools.cache
def register_fonts() -> None:
    for name in (FONT, BOLD_FONT):
        pdfmetrics.registerFont(TTFont(name, FONTS / f"{name}.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD_FONT)


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    sheet = getSampleStyleSheet()
    body = ParagraphStyle(
        "LetterBody", parent=sheet["Normal"], fontName=FONT, fontSize=11, leading=15
    )
    return {
        "head": ParagraphStyle(
            "LetterHead", parent=body, fontName=BOLD_FONT, fontSize=12, alignment=1
        ),
        "body": body,
        "small": ParagraphStyle("LetterSmall", parent=body, fontSize=8.5, leading=11),
        "title": ParagraphStyle(
            "LetterTitle", parent=body, fontName=BOLD_FONT, fontSize=13, spaceAfter=6
        ),
    }


def _lines(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.strip().splitlines())


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


def letter_pdf(content: LetterContent) -> bytes:
    """One A4 letter: letterhead, reference and date, addressee, body, signatory, QR code."""
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=content.title or content.reference,
        author="",
        invariant=1,
    )
    story = [Paragraph(_lines(content.letterhead), styles["head"]), Spacer(1, 8 * mm)]
    story.append(
        Paragraph(
            f"Reference: {escape(content.reference)}<br/>Date: {escape(content.date)}",
            styles["body"],
        )
    )
    story.append(Spacer(1, 6 * mm))
    if content.addressee.strip():
        story += [Paragraph(_lines(content.addressee), styles["body"]), Spacer(1, 6 * mm)]
    if content.title:
        story.append(Paragraph(escape(content.title), styles["title"]))
    for paragraph in _paragraphs(content.body):
        story += [Paragraph(_lines(paragraph), styles["body"]), Spacer(1, 3 * mm)]
    story.append(Spacer(1, 6 * mm))
    if content.signature_image:
        story.append(Image(io.BytesIO(content.signature_image), width=45 * mm, height=18 * mm))
    story.append(
        Paragraph(
            f"{escape(content.signatory_name)}<br/>{escape(content.signatory_title)}",
            styles["body"],
        )
    )
    story.append(Spacer(1, 10 * mm))
    qr = Image(io.BytesIO(qr_png(content.verification_url)), 28 * mm, 28 * mm)
    check = Paragraph(
        "Check this letter: scan the code or open "
        f"{escape(content.verification_url)}<br/>Verification code: "
        f"{escape(content.verification_code)}",
        styles["small"],
    )
    table = Table([[qr, check]], colWidths=[32 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(table)
    document.build(story)
    return buffer.getvalue()


@dataclass(frozen=True)
class NoteContent:
    title: str
    subtitle: str
    sections: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""


def note_pdf(content: NoteContent) -> bytes:
    """The travel information note: a title and one heading per section."""
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=content.title, author="", invariant=1)
    story = [
        Paragraph(escape(content.title), styles["title"]),
        Paragraph(escape(content.subtitle), styles["body"]),
        Spacer(1, 6 * mm),
    ]
    for heading, text in content.sections:
        story.append(Paragraph(escape(heading), styles["title"]))
        for paragraph in _paragraphs(text):
            story += [Paragraph(_lines(paragraph), styles["body"]), Spacer(1, 2 * mm)]
    if content.footer:
        story += [Spacer(1, 6 * mm), Paragraph(escape(content.footer), styles["small"])]
    document.build(story)
    return buffer.getvalue()
