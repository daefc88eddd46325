"""Visa letters under the meeting's personal data rules: their PDFs print the passport
number, so they are encrypted at rest and deleted with the passports when retention ends."""

from django.db import transaction
from django.utils import timezone

from agenda.models import Meeting

from .models import Letter, LetterKind


def letter_files() -> list[str]:
    """The stored names of every letter PDF (for ``rotate_encrypted_files``)."""
    return list(Letter.objects.exclude(pdf="").values_list("pdf", flat=True))


def purge_visa_letters(meeting: Meeting) -> int:
    """Delete the PDFs of ``meeting``'s visa letters and the passport fingerprints they kept.

    Side effects: each file is deleted from storage, ``pdf`` and ``passport_fingerprint``
    are emptied and ``pdf_deleted_at`` set. The letter rows stay (reference, initials,
    nationality, dates, revocation) so the public verification page still answers for a
    letter an embassy holds. Returns how many letters; a second run finds none.
    """
    letters = list(
        Letter.objects.filter(meeting=meeting, kind=LetterKind.VISA)
        .exclude(pdf="")
        .only("pk", "pdf")
    )
    with transaction.atomic():
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(
            pdf="", passport_fingerprint="", pdf_deleted_at=timezone.now()
        )
        # The files go once the rows no longer name them (a rollback keeps both).
        transaction.on_commit(lambda: [letter.pdf.delete(save=False) for letter in letters])
    return len(letters)
