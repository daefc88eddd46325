"""Shared set-up for the logistics tests: the Accra meeting, its organiser, an embassy and
registered participants; helpers that read PDFs back (text and QR code)."""

import datetime as dt
import io

import pypdf
import zxingcpp

from logistics.models import Embassy
from participants.models import Status
from tests.factories import MeetingFactory, ParticipantFactory, RegistrationFactory, UserFactory


def accra_meeting(**fields):
    return MeetingFactory(
        title="Expert Group Meeting on Practical Strategies to Promote Social Integration",
        short_title="EGM Social Integration",
        organiser="Division for Social Policy and Development (DSPD), UN DESA",
        host="Ministry of Employment and Social Welfare, Government of Ghana",
        **fields,
    )


def organiser_of(meeting):
    user = UserFactory()
    meeting.organisers.add(user)
    return user


def embassy_for(meeting, country="BR", name="Embassy of the Republic of Ghana, Brasília"):
    return Embassy.objects.create(
        meeting=meeting, country=country, name=name, address="SHIS QL 10, Brasília"
    )


def registered(meeting, *, passport_number="FX123456", expires=dt.date(2015, 3, 1), **fields):
    """A registered participant with an account and a registration; Brazilian by default."""
    defaults = {
        "given_name": "Luísa",
        "family_name": "Ferreira Matos",
        "country": "BR",
        "nationality": "BR",
        "status": Status.REGISTERED,
        "user": UserFactory(),
    }
    participant = ParticipantFactory(meeting=meeting, **{**defaults, **fields})
    RegistrationFactory(
        participant=participant,
        passport_name="FERREIRA MATOS LUÍSA",
        nationality="BR",
        passport_issuing_country="BR",
        passport_number=passport_number,
        passport_expires_on=expires,
    )
    return participant


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_qr_codes(data: bytes) -> list[str]:
    """Decode every QR code drawn as an image on the PDF's pages."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        for image in page.images:
            found += [result.text for result in zxingcpp.read_barcodes(image.image)]
    return found


def letter_bytes(letter) -> bytes:
    with letter.pdf.open("rb") as handle:
        return handle.read()
