import hashlib
import io
import zipfile

import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from participants.papers.archive import archive_names
from participants.papers.checks import (
    DOCX,
    PDF,
    PaperFileError,
    check_paper_file,
    safe_display_name,
)

from ..paper_files import (
    CORRUPT_PDF_BYTES,
    ELF_BYTES,
    EXE_BYTES,
    docx_bytes,
    docx_with_external_bytes,
    encrypted_pdf_bytes,
    pdf_bytes,
    plain_zip_bytes,
    zip_bomb_bytes,
)

LIMIT = 20 * 1024 * 1024


def test_check_pdf_counts_pages():
    checked = check_paper_file(io.BytesIO(pdf_bytes(7)), max_bytes=LIMIT)

    assert (checked.content_type, checked.extension, checked.page_count) == (PDF, "pdf", 7)


def test_check_docx_reads_pages_from_document_properties():
    checked = check_paper_file(io.BytesIO(docx_bytes(pages=6)), max_bytes=LIMIT)

    assert (checked.content_type, checked.extension, checked.page_count) == (DOCX, "docx", 6)


def test_check_docx_without_properties_has_unknown_pages():
    checked = check_paper_file(io.BytesIO(docx_bytes(pages=None)), max_bytes=LIMIT)

    assert checked.page_count is None


def test_check_measures_size_and_checksum_from_the_bytes():
    data = pdf_bytes(5)

    checked = check_paper_file(io.BytesIO(data), max_bytes=LIMIT)

    assert (checked.size, checked.sha256) == (len(data), hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (EXE_BYTES, "wrong_type"),
        (ELF_BYTES, "wrong_type"),
        (b"Just some text pretending to be a paper.", "wrong_type"),
        (CORRUPT_PDF_BYTES, "corrupt_pdf"),
        (b"PK\x03\x04 broken zip", "corrupt_docx"),
        (plain_zip_bytes(), "not_a_document"),
    ],
)
def test_check_refuses_bad_files(data, code):
    with pytest.raises(PaperFileError) as refused:
        check_paper_file(io.BytesIO(data), max_bytes=LIMIT)

    assert refused.value.code == code


def test_check_refuses_encrypted_pdf():
    with pytest.raises(PaperFileError) as refused:
        check_paper_file(io.BytesIO(encrypted_pdf_bytes()), max_bytes=LIMIT)

    assert refused.value.code == "encrypted"
    assert "password" in refused.value.message


def test_check_refuses_zip_bomb_before_inflating():
    with pytest.raises(PaperFileError) as refused:
        check_paper_file(io.BytesIO(zip_bomb_bytes()), max_bytes=LIMIT)

    assert refused.value.code == "zip_bomb"


def test_check_refuses_file_over_the_limit():
    data = pdf_bytes(5)

    with pytest.raises(PaperFileError) as refused:
        check_paper_file(io.BytesIO(data), max_bytes=len(data) - 1)

    assert refused.value.code == "too_large"
    assert refused.value.message.endswith(
        f"; the largest accepted is {round(len(data) / 1024)} KB."
    )


def test_check_names_sizes_in_megabytes_from_one_megabyte():
    with pytest.raises(PaperFileError) as refused:
        check_paper_file(io.BytesIO(b"x" * (3 * 1024 * 1024)), max_bytes=2 * 1024 * 1024)

    assert refused.value.message == "The file is 3.0 MB; the largest accepted is 2.0 MB."


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("paper.pdf", "paper.pdf"),
        ("C:\\Users\\ama\\Documents\\My paper.pdf", "My paper.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("pa\x00per\r\n\x1b[31m.pdf", "paper[31m.pdf"),
        ("Intégration sociale.docx", "Intégration sociale.docx"),
        ("..", "paper.pdf"),
        ("", "paper.pdf"),
    ],
)
def test_safe_display_name_strips_paths_and_control_characters(name, expected):
    assert safe_display_name(name, extension="pdf") == expected


def test_archive_names_are_ascii_short_and_unique():
    names = archive_names(
        [
            ("Mensah", "Social integration: practical strategies for inclusion", "pdf"),
            ("Ødegård", "Cohésion sociale", "docx"),
            ("Mensah", "Social integration: practical strategies for inclusion", "pdf"),
            ("", "", "pdf"),
        ]
    )

    assert names == [
        "Mensah_Social-integration-practical-strategies.pdf",
        "Odegard_Cohesion-sociale.docx",
        "Mensah_Social-integration-practical-strategies-2.pdf",
        "Author_Paper.pdf",
    ]


def test_check_refuses_word_document_with_macros():
    data = docx_bytes(pages=6)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.document.main+xml",
                    b"XX",
                ).replace(
                    b"application/vnd.openxmlformats-officedocument.XX",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(item, content)

    with pytest.raises(PaperFileError) as refused:
        check_paper_file(io.BytesIO(out.getvalue()), max_bytes=LIMIT)

    assert refused.value.code == "macros"


OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.mark.parametrize(
    "reltype",
    [
        f"{OFFICE_RELS}/attachedTemplate",
        RT.IMAGE,
        RT.OLE_OBJECT,
        f"{OFFICE_RELS}/frame",
        f"{OFFICE_RELS}/subDocument",
    ],
    ids=["attached-template", "linked-image", "ole-object", "frame", "subdocument"],
)
def test_check_refuses_word_document_with_external_targets(reltype):
    data = docx_with_external_bytes(reltype)
    # The test document really carries what the check looks for.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".rels"))
    assert b'TargetMode="External"' in rels

    with pytest.raises(PaperFileError) as refused:
        check_paper_file(io.BytesIO(data), max_bytes=LIMIT)

    assert refused.value.code == "external_content"
    assert "loads content from outside the file" in refused.value.message


def test_check_accepts_word_document_with_a_web_link():
    data = docx_with_external_bytes(RT.HYPERLINK, "https://www.un.org/development/desa/")

    assert check_paper_file(io.BytesIO(data), max_bytes=LIMIT).content_type == DOCX
