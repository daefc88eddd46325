"""Checks on an uploaded paper file, before anything is stored: pure functions, no database.

The type is decided by the content, never by the name: a PDF must open with pypdf and not be
encrypted; a DOCX must be a well-formed Office Open XML package. Zip archives are inspected
member by member with bounded reads, so a zip bomb is refused before it is inflated.
"""

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from defusedxml import ElementTree
from pypdf import PdfReader

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: "pdf", DOCX: "docx"}

DOCX_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
APP_PROPERTIES_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# The one kind of external relationship Word never follows by itself: a link the reader
# clicks. Every other external target (an attached template, a linked picture, an OLE
# object, a frame) is fetched when the document opens.
HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

# Limits for Word packages. A real paper inflates to a few megabytes; the ratio guards
# against one small member that expands enormously (the classic zip bomb).
MAX_ZIP_MEMBERS = 1000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_APPLIES_ABOVE = 1024 * 1024
MAX_XML_PART_BYTES = 5 * 1024 * 1024

CHUNK = 64 * 1024
MAX_NAME_LENGTH = 150

ACCEPTED_TYPES_TEXT = "a PDF or a Word document (.docx)"


class PaperFileError(Exception):
    """The file cannot be accepted; ``message`` says why, in words for the uploader."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str
    page_count: int | None

    @property
    def kind_label(self) -> str:
        return "PDF" if self.content_type == PDF else "Word document"


def safe_display_name(name: str, *, extension: str = "") -> str:
    """The uploader's file name without folders or control characters, for display.

    ``C:\\Users\\ama\\..\\paper.pdf`` becomes ``paper.pdf``; an empty result becomes
    ``paper.<extension>``.
    """
    name = unicodedata.normalize("NFC", name or "")
    # Browsers differ: some send the full client path, with either separator.
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    if not name or set(name) <= {"."}:
        name = f"paper.{extension}" if extension else "paper"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = f"{stem[: MAX_NAME_LENGTH - len(ext) - 1]}.{ext}"
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


# Letters that Unicode does not decompose into an ASCII base letter.
_TRANSLITERATE = str.maketrans(
    {
        "Ø": "O",
        "ø": "o",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Þ": "Th",
        "þ": "th",
        "ı": "i",
    }
)


def ascii_slug(text: str, *, max_length: int = 60) -> str:
    """ASCII letters, digits and hyphens only: 'Intégration sociale' -> 'Integration-sociale'."""
    text = text.translate(_TRANSLITERATE)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def check_paper_file(upload: IO[bytes], *, max_bytes: int) -> CheckedFile:
    """Decide whether ``upload`` is an acceptable paper; raise ``PaperFileError`` if not.

    The size is measured from the bytes themselves (seek to the end), not from any header
    the client sent.
    """
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    if size == 0:
        raise PaperFileError("The file is empty. Please choose your paper again.", "empty")
    if size > max_bytes:
        raise PaperFileError(too_large_message(max_bytes=max_bytes, size=size), "too_large")
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)

    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        content_type, pages = PDF, _check_pdf(upload)
    elif head.startswith(b"PK\x03\x04"):
        content_type, pages = DOCX, _check_docx(upload)
    else:
        raise PaperFileError(_wrong_type_message(head), "wrong_type")
    upload.seek(0)
    return CheckedFile(
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        size=size,
        sha256=digest.hexdigest(),
        page_count=pages,
    )


def too_large_message(*, max_bytes: int, size: int | None = None) -> str:
    """What the uploader reads when a file is over the limit (its size when known)."""
    found = f"The file is {_megabytes(size)}" if size is not None else "The file is too large"
    return f"{found}; the largest accepted is {_megabytes(max_bytes)}."


def _megabytes(size: int) -> str:
    """'20.0 MB', or '300 KB' below a megabyte, so a small limit never reads '0.0 MB'."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _wrong_type_message(head: bytes) -> str:
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        found = "a program (executable file)"
    else:
        guess = filetype.guess(head)
        found = f"a {guess.extension.upper()} file" if guess else "not a document we can read"
    return f"This file is {found}, whatever its name says. Please upload {ACCEPTED_TYPES_TEXT}."


def _check_pdf(upload: IO[bytes]) -> int:
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise PaperFileError(
                "This PDF is protected by a password or encryption. "
                "Please save it without protection and upload it again.",
                "encrypted",
            )
        pages = len(reader.pages)
    except PaperFileError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise PaperFileError(
            "This PDF is damaged and cannot be opened. Please export it again and upload it.",
            "corrupt_pdf",
        ) from exc
    if pages < 1:
        raise PaperFileError("This PDF has no pages.", "corrupt_pdf")
    return pages


def _not_a_document() -> PaperFileError:
    return PaperFileError(
        f"This file is a zip archive, not a Word document. Please upload {ACCEPTED_TYPES_TEXT}.",
        "not_a_document",
    )


def _check_docx(upload: IO[bytes]) -> int | None:
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PaperFileError(
            "This Word document is damaged and cannot be opened.", "corrupt_docx"
        ) from exc
    with archive:
        members = archive.infolist()
        _refuse_bombs(members)
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise _not_a_document()
        content_types = _parse_xml(archive, "[Content_Types].xml")
        main_types = {
            override.get("ContentType")
            for override in content_types.iter(f"{CONTENT_TYPES_NS}Override")
            if override.get("PartName", "").lower() == "/word/document.xml"
        }
        if DOCM_MAIN_TYPE in main_types:
            raise PaperFileError(
                "Word documents with macros (.docm) are not accepted. "
                "Please save it as .docx or PDF.",
                "macros",
            )
        if DOCX_MAIN_TYPE not in main_types:
            raise _not_a_document()
        # Inflate every member with a running cap: the headers could lie about sizes,
        # and reading to the end checks each member's CRC.
        _read_all_bounded(archive, members)
        _refuse_external_targets(archive, names)
        if "docProps/app.xml" not in names:
            return None
        return _pages_from_properties(_parse_xml(archive, "docProps/app.xml"))


def _refuse_external_targets(archive: zipfile.ZipFile, names: set[str]) -> None:
    """Refuse, like macros, a document that fetches anything from outside itself when
    opened (a remote template is how such documents smuggle macros in)."""
    for name in sorted(names):
        if not name.lower().endswith(".rels"):
            continue
        for relationship in _parse_xml(archive, name).iter(f"{RELATIONSHIPS_NS}Relationship"):
            external = (relationship.get("TargetMode") or "").lower() == "external"
            if external and relationship.get("Type") != HYPERLINK_TYPE:
                raise PaperFileError(
                    "This Word document loads content from outside the file when it is opened "
                    "(an attached template, linked pictures or objects), so it is not accepted. "
                    "Please save it as .docx without those links, or as PDF.",
                    "external_content",
                )


def _refuse_bombs(members: list[zipfile.ZipInfo]) -> None:
    bomb = PaperFileError(
        "This file expands to far more data than a paper could hold, so it was refused "
        "(it looks like a zip bomb).",
        "zip_bomb",
    )
    if len(members) > MAX_ZIP_MEMBERS:
        raise bomb
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise bomb
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_APPLIES_ABOVE and ratio > MAX_COMPRESSION_RATIO:
            raise bomb


def _read_all_bounded(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    total = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                for chunk in iter(lambda s=stream: s.read(CHUNK), b""):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED_BYTES:
                        raise PaperFileError(
                            "This file expands to far more data than a paper could hold.",
                            "zip_bomb",
                        )
    except PaperFileError:
        raise
    except Exception as exc:  # BadZipFile (CRC), zlib.error, NotImplementedError...
        raise PaperFileError(
            "This Word document is damaged and cannot be opened.", "corrupt_docx"
        ) from exc


def _parse_xml(archive: zipfile.ZipFile, name: str):
    try:
        with archive.open(name) as stream:
            data = stream.read(MAX_XML_PART_BYTES + 1)
        if len(data) > MAX_XML_PART_BYTES:
            raise _not_a_document()
        return ElementTree.parse(io.BytesIO(data)).getroot()
    except PaperFileError:
        raise
    except Exception as exc:  # ParseError, DefusedXmlException, BadZipFile
        raise PaperFileError(
            "This Word document is damaged and cannot be opened.", "corrupt_docx"
        ) from exc


def _pages_from_properties(root) -> int | None:
    element = root.find(f"{APP_PROPERTIES_NS}Pages")
    if element is None or not (element.text or "").strip().isdigit():
        return None
    pages = int(element.text.strip())
    return pages or None
