"""Two uploads at once for one paper (PostgreSQL): the same new file ends as exactly one
version; two different files get consecutive numbers. The paper already has a version, so
only the lock on the participant row keeps the two transactions apart."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from participants.models import PaperVersion
from participants.papers.services import submit_paper

from ..conftest import stored_files
from ..paper_files import pdf_bytes


def _first_version(expert) -> None:
    submit_paper(
        participant=expert,
        title="Social integration",
        abstract="",
        consent_publish=True,
        upload=SimpleUploadedFile("paper.pdf", pdf_bytes(5, text="Draft")),
        uploaded_by=expert.user,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_identical_uploads_make_one_version(expert, storage_root):
    _first_version(expert)
    data = pdf_bytes(6)
    start = threading.Barrier(2)
    results, errors = [], []

    def upload() -> None:
        try:
            start.wait()
            results.append(
                submit_paper(
                    participant=expert,
                    title="Social integration",
                    abstract="",
                    consent_publish=True,
                    upload=SimpleUploadedFile("paper.pdf", data),
                    uploaded_by=expert.user,
                )
            )
        except Exception as exc:  # reported below with the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(result.created for result in results) == [False, True]
    assert PaperVersion.objects.filter(paper__participant=expert).count() == 2
    assert len(stored_files(storage_root)) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_different_uploads_get_distinct_numbers(expert, storage_root):
    _first_version(expert)
    files = [pdf_bytes(6, text="First"), pdf_bytes(7, text="Second")]
    start = threading.Barrier(2)
    errors = []

    def upload(data: bytes) -> None:
        try:
            start.wait()
            submit_paper(
                participant=expert,
                title="Social integration",
                abstract="",
                consent_publish=True,
                upload=SimpleUploadedFile("paper.pdf", data),
                uploaded_by=expert.user,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(data,)) for data in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(
        PaperVersion.objects.filter(paper__participant=expert).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
