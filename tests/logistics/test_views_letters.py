"""Letter pages: download permissions, the verification page, requests, the batch page."""

import io

import pypdf
import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from logistics import services, tasks, throttle
from logistics.models import Letter, LetterBatch, LetterRequest
from participants.models import Status
from tests.factories import ParticipantFactory, UserFactory

from .support import (
    accra_meeting,
    letter_bytes,
    organiser_of,
    pdf_text,
    registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(meeting):
    return services.issue_letter(participant=registered(meeting), kind="visa", by=None)


def _pdf_url(letter):
    return reverse("logistics:letter_pdf", kwargs={"slug": letter.meeting.slug, "pk": letter.pk})


def test_the_participant_and_the_organisers_download_the_letter(client, letter):
    for user in (letter.participant.user, organiser_of(letter.meeting)):
        client.force_login(user)
        response = client.get(_pdf_url(letter))
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
        assert response["Cache-Control"] == "private, no-store"


def test_others_cannot_download_the_letter(client, letter, meeting):
    other_participant = registered(meeting, email="other@example.org")
    other_meeting_organiser = organiser_of(accra_meeting())
    for user in (other_participant.user, other_meeting_organiser, UserFactory(is_staff=True)):
        client.force_login(user)
        assert client.get(_pdf_url(letter)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, letter):
    response = client.get(_pdf_url(letter))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _verify(client, code):
    return client.get(reverse("logistics:verify", kwargs={"code": code}))


def test_verification_page_says_valid_with_initials_and_nationality_only(client, letter):
    response = _verify(client, letter.verification_code)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Valid</strong>" in page
    assert "<dd>L.F.M.</dd>" in page
    assert "<dd>Brazil</dd>" in page
    for secret in ("Ferreira", "Luísa", "FX123456", letter.reference, letter.embassy):
        assert secret not in page


def test_verification_page_says_revoked(client, letter):
    services.revoke_letter(letter=letter, by=None, reason="Participation cancelled")

    page = _verify(client, letter.verification_code).content.decode()

    assert "Revoked: this letter is no longer valid" in page
    assert "Participation cancelled" not in page


def test_unknown_code_answers_not_found_and_reveals_nothing(client, letter):
    response = _verify(client, "ZZZZZZZZZZZZ")

    assert response.status_code == 404
    assert "Not found: no letter has this verification code." in response.content.decode()
    assert "L.F.M." not in response.content.decode()


def test_verification_page_is_rate_limited(client, letter):
    for _ in range(throttle.MAX_LOOKUPS):
        assert _verify(client, "ZZZZZZZZZZZZ").status_code == 404

    response = _verify(client, letter.verification_code)

    assert response.status_code == 429
    assert "Too many verifications" in response.content.decode()
    assert "L.F.M." not in response.content.decode()


def test_participant_requests_a_visa_letter_naming_the_embassy(client, meeting):
    participant = registered(meeting)
    client.force_login(participant.user)
    url = reverse("logistics:my_letters", kwargs={"slug": meeting.slug})
    embassy = meeting.embassies.get()

    response = client.post(url, {"kind": "visa", "embassy": embassy.pk, "note": "By 1 Nov"})

    assert response.status_code == 302
    request = LetterRequest.objects.get()
    assert (request.participant, request.embassy, request.note) == (
        participant,
        embassy,
        "By 1 Nov",
    )
    page = client.get(url).content.decode()
    assert "Your request for a visa support letter" in page


def test_visa_request_without_embassy_is_refused(client, meeting):
    participant = registered(meeting)
    client.force_login(participant.user)

    response = client.post(
        reverse("logistics:my_letters", kwargs={"slug": meeting.slug}), {"kind": "visa"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert LetterRequest.objects.count() == 0


def test_a_letter_in_force_is_not_asked_for_again_until_the_passport_changes(client, letter):
    participant, meeting = letter.participant, letter.meeting
    client.force_login(participant.user)
    url = reverse("logistics:my_letters", kwargs={"slug": meeting.slug})
    embassy = meeting.embassies.get()

    page = client.get(url).content.decode()
    assert f"{letter.reference} is in force" in page
    assert "Ask for a visa support letter</button>" not in page
    response = client.post(url, {"kind": "visa", "embassy": embassy.pk})
    assert response.status_code == 400
    assert "is in force" in response.content.decode()
    assert LetterRequest.objects.filter(handled_at__isnull=True).count() == 0

    participant.registration.passport_number = "FX999999"
    participant.registration.save()
    assert "Ask for a visa support letter</button>" in client.get(url).content.decode()
    assert client.post(url, {"kind": "visa", "embassy": embassy.pk}).status_code == 302
    assert LetterRequest.objects.filter(handled_at__isnull=True).count() == 1


def test_participant_downloads_from_the_letters_page(client, letter):
    client.force_login(letter.participant.user)

    page = client.get(
        reverse("logistics:my_letters", kwargs={"slug": letter.meeting.slug})
    ).content.decode()

    assert f'href="{_pdf_url(letter)}"' in page


def test_organiser_issues_revokes_and_reissues_from_the_participant_page(client, meeting):
    participant = registered(meeting)
    client.force_login(organiser_of(meeting))
    slug = meeting.slug

    client.post(
        reverse("logistics:issue", kwargs={"slug": slug, "pk": participant.pk}), {"kind": "visa"}
    )
    letter = Letter.objects.get()
    client.post(reverse("logistics:reissue", kwargs={"slug": slug, "pk": letter.pk}))
    new = Letter.objects.get(revoked_at__isnull=True)
    client.post(
        reverse("logistics:revoke", kwargs={"slug": slug, "pk": new.pk}), {"reason": "Mistake"}
    )

    page = client.get(
        reverse("logistics:participant", kwargs={"slug": slug, "pk": participant.pk})
    ).content.decode()
    assert Letter.objects.filter(revoked_at__isnull=True).count() == 0
    assert f"Revoked: Replaced by {new.reference}." in page
    assert "Revoked: Mistake" in page


def test_organiser_issue_refusal_shows_the_reason(client, meeting):
    participant = ParticipantFactory(
        meeting=meeting, given_name="Kwame", family_name="Asante", status=Status.ACCEPTED
    )
    client.force_login(organiser_of(meeting))

    response = client.post(
        reverse("logistics:issue", kwargs={"slug": meeting.slug, "pk": participant.pk}),
        {"kind": "visa"},
        follow=True,
    )

    assert "The registration of Kwame Asante is not complete yet." in response.content.decode()
    assert Letter.objects.count() == 0


def test_bulk_issue_progress_page_reloads_until_done(client, meeting):
    people = [registered(meeting, email=f"p{index}@example.org") for index in range(3)]
    client.force_login(organiser_of(meeting))

    response = client.post(
        reverse("logistics:letters", kwargs={"slug": meeting.slug}),
        {"kind": "visa", "participants": [person.pk for person in people]},
    )

    batch = LetterBatch.objects.get()
    assert response["Location"] == reverse(
        "logistics:batch", kwargs={"slug": meeting.slug, "pk": batch.pk}
    )
    waiting = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert '<progress id="progress" max="3" value="0">0%</progress>' in waiting

    tasks.issue_letter_batch.apply(args=[batch.pk])

    done = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert "Finished: 3 of 3 done (100%), 3 letters issued, 0 refused." in done


def test_letter_pages_are_for_organisers_only(client, meeting):
    client.force_login(registered(meeting).user)
    for name in ("organise", "letters", "arrivals", "hotel", "edit_note"):
        response = client.get(reverse(f"logistics:{name}", kwargs={"slug": meeting.slug}))
        assert response.status_code == 404


def test_template_preview_with_unknown_placeholder_names_it(client, meeting):
    client.force_login(organiser_of(meeting))
    url = reverse("logistics:template", kwargs={"slug": meeting.slug, "kind": "visa"})

    response = client.post(
        url,
        {
            "reference_prefix": "DSPD/EGM-SI/2009",
            "letterhead": "United Nations",
            "body": "Dear {embasy}",
            "signatory_name": "K. Hanazawa",
            "signatory_title": "Officer",
            "preview": "1",
        },
    )

    assert response.status_code == 400
    assert "Unknown placeholder in the template: {embasy}." in response.content.decode()
    assert Letter.objects.count() == 0


def test_template_preview_returns_a_pdf(client, meeting):
    client.force_login(organiser_of(meeting))
    url = reverse("logistics:template", kwargs={"slug": meeting.slug, "kind": "visa"})

    response = client.post(
        url,
        {
            "reference_prefix": "DSPD/EGM-SI/2009",
            "letterhead": "United Nations",
            "body": "Dear {embassy}",
            "signatory_name": "K. Hanazawa",
            "signatory_title": "Officer",
            "preview": "1",
        },
    )

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_progress_page_shows_a_running_batch_part_done(client, meeting):
    batch = LetterBatch.objects.create(
        meeting=meeting, kind="visa", total=5, done=2, issued=2, status="running"
    )
    client.force_login(organiser_of(meeting))

    page = client.get(
        reverse("logistics:batch", kwargs={"slug": meeting.slug, "pk": batch.pk})
    ).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="progress" max="5" value="2">40%</progress>' in page
    assert "Issuing: 2 of 5 done (40%), 2 letters issued, 0 refused." in page


def test_participant_requests_an_invitation_letter_once(client, meeting):
    participant = registered(meeting)
    client.force_login(participant.user)
    url = reverse("logistics:my_letters", kwargs={"slug": meeting.slug})

    client.post(url, {"kind": "invitation"})
    response = client.post(url, {"kind": "invitation"}, follow=True)

    assert "Your request is already with the secretariat." in response.content.decode()
    assert LetterRequest.objects.get().kind == "invitation"


def test_saved_signature_image_is_printed_on_letters(client, meeting):
    png = io.BytesIO()
    segno.make("signature").save(png, kind="png", scale=2)
    client.force_login(organiser_of(meeting))
    url = reverse("logistics:template", kwargs={"slug": meeting.slug, "kind": "visa"})
    template = services.ensure_templates(meeting=meeting)["visa"]

    response = client.post(
        url,
        {
            "reference_prefix": "DSPD/EGM-SI/2009",
            "letterhead": template.letterhead,
            "body": template.body,
            "signatory_name": "Keiko Hanazawa",
            "signatory_title": "Social Affairs Officer",
            "signature": SimpleUploadedFile("signature.png", png.getvalue(), "image/png"),
            "save": "1",
        },
    )
    letter = services.issue_letter(participant=registered(meeting), kind="visa", by=None)

    assert response.status_code == 302
    page = pypdf.PdfReader(io.BytesIO(letter_bytes(letter))).pages[0]
    assert len(page.images) == 2
    assert "Keiko Hanazawa" in pdf_text(letter_bytes(letter))


def test_signature_that_is_not_an_image_is_refused(client, meeting):
    client.force_login(organiser_of(meeting))
    url = reverse("logistics:template", kwargs={"slug": meeting.slug, "kind": "visa"})
    template = services.ensure_templates(meeting=meeting)["visa"]

    response = client.post(
        url,
        {
            "reference_prefix": "DSPD/EGM-SI/2009",
            "letterhead": template.letterhead,
            "body": template.body,
            "signatory_name": "Keiko Hanazawa",
            "signatory_title": "Social Affairs Officer",
            "signature": SimpleUploadedFile("signature.png", b"%PDF-1.4 not an image"),
            "save": "1",
        },
    )

    template.refresh_from_db()
    assert response.status_code == 400
    assert "The signature must be a PNG or JPEG image." in response.content.decode()
    assert not template.signature
