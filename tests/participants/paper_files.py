"""Real small paper files for the tests: PDFs with a chosen number of pages, Word documents,
and the bad files the upload must refuse."""

import io
import re
import zipfile

import docx
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def pdf_bytes(pages: int = 7, *, text: str = "Social integration") -> bytes:
    """A PDF drawn with ReportLab, one line of text per page."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        drawing.drawString(72, 770, f"{text}, page {number}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def encrypted_pdf_bytes(pages: int = 6) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(pages: int | None = 6, *, text: str = "Social integration") -> bytes:
    """A Word document from python-docx; ``pages`` goes into docProps/app.xml, None drops it."""
    document = docx.Document()
    document.add_heading("A paper", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                if pages is None:
                    continue
                data = re.sub(rb"<Pages>\d+</Pages>", f"<Pages>{pages}</Pages>".encode(), data)
            target.writestr(item, data)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def zip_bomb_bytes() -> bytes:
    """A small .docx-looking zip whose document inflates to 50 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        target.writestr("[Content_Types].xml", CONTENT_TYPES)
        target.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


def plain_zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("holiday/photo-list.txt", b"beach.jpg\nhills.jpg\n")
    return out.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200
ELF_BYTES = b"\x7fELF\x02\x01\x01" + b"\0" * 200
CORRUPT_PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nnot really a pdf\n"


def docx_with_external_bytes(reltype: str, target: str = "https://example.net/t.dotm") -> bytes:
    """A Word document from python-docx with one external relationship of ``reltype``:
    an attached template in settings.xml's relationships, anything else in the document's."""
    document = docx.Document()
    document.add_paragraph("Social integration")
    part = document.part._settings_part if reltype.endswith("/attachedTemplate") else document.part
    part.relate_to(target, reltype, is_external=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
