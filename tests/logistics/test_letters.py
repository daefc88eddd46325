"""The PDF builders alone: text and QR code read back from the PDF, placeholders."""

import pytest

from logistics import letters

from .support import pdf_qr_codes, pdf_text


def _content(**overrides):
    values = {
        "reference": "DSPD/EGM-SI/2009/017",
        "date": "2 October 2009",
        "letterhead": "United Nations\nDepartment of Economic and Social Affairs",
        "addressee": "Embassy of the Republic of Ghana, Brasília",
        "body": "Name as in the passport: FERREIRA MATOS LUÍSA\n\nSecond paragraph.",
        "signatory_name": "Keiko Hanazawa",
        "signatory_title": "Social Affairs Officer",
        "verification_url": "http://testserver/verify/ABCDEFGHJKMN/",
        "verification_code": "ABCDEFGHJKMN",
        "title": "Visa support letter",
    }
    return letters.LetterContent(**{**values, **overrides})


def test_letter_pdf_prints_reference_date_text_and_verification_url():
    text = pdf_text(letters.letter_pdf(_content()))

    for expected in (
        "DSPD/EGM-SI/2009/017",
        "2 October 2009",
        "FERREIRA MATOS LUÍSA",
        "Embassy of the Republic of Ghana, Brasília",
        "Keiko Hanazawa",
        "http://testserver/verify/ABCDEFGHJKMN/",
    ):
        assert expected in text


def test_letter_pdf_prints_names_beyond_latin_1():
    # The PDF standard fonts stop at Latin-1: Polish, Vietnamese and Turkish names need the
    # embedded font, and a reader must get the same letters back.
    names = ["KOWALCZYK ŁUKASZ", "NGUYỄN THỊ PHƯƠNG", "YILDIRIM ŞEBNEM"]
    text = pdf_text(letters.letter_pdf(_content(body="\n\n".join(names))))

    assert [name for name in names if name in text] == names


def test_letter_pdf_qr_code_decodes_to_the_verification_url():
    assert pdf_qr_codes(letters.letter_pdf(_content())) == [
        "http://testserver/verify/ABCDEFGHJKMN/"
    ]


def test_letter_pdf_escapes_markup_in_organiser_text():
    text = pdf_text(letters.letter_pdf(_content(body="Costs <b>borne</b> by A & B")))

    assert "Costs <b>borne</b> by A & B" in text


def test_fill_replaces_known_placeholders():
    assert letters.fill("Dear {formal_name}.", {"formal_name": "Dr. Ama Mensah"}, "visa") == (
        "Dear Dr. Ama Mensah."
    )


def test_fill_names_every_unknown_placeholder_once():
    with pytest.raises(letters.UnknownPlaceholder) as raised:
        letters.fill("{passport_nmber} {x.__class__} {passport_nmber}", {}, "visa")

    assert raised.value.names == ["passport_nmber", "x.__class__"]
    assert str(raised.value) == (
        "Unknown placeholder in the template: {passport_nmber}, {x.__class__}."
    )


def test_invitation_letter_does_not_know_passport_placeholders():
    assert letters.unknown_placeholders("{passport_number} {full_name}", "invitation") == [
        "passport_number"
    ]


def test_note_pdf_prints_sections():
    content = letters.NoteContent(
        title="Information note",
        subtitle="17 to 19 November 2009",
        sections=[("Health", "Yellow fever certificate required.")],
    )

    text = pdf_text(letters.note_pdf(content))

    assert "Yellow fever certificate required." in text
    assert "Health" in text
