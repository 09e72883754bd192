"""The final PDF of a document (reportlab, DejaVu Sans for Cyrillic) and PDF text."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

if TYPE_CHECKING:
    from hromada.docflow.models import Document

from hromada.core.pdf import register_fonts

logger = logging.getLogger(__name__)


def _register_fonts() -> None:
    register_fonts()  # DejaVu Sans, shipped in core/fonts


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="DejaVuSans", fontSize=11, leading=15)
    return {
        "body": base,
        "centre": ParagraphStyle("centre", parent=base, alignment=1),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName="DejaVuSans-Bold", fontSize=13, leading=17, alignment=1
        ),
        "bold": ParagraphStyle("bold", parent=base, fontName="DejaVuSans-Bold"),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
    }


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def document_pdf(document: Document) -> bytes:
    """The document as it is signed: body, kind, number and date, summary, text, signatory."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=document.summary[:200],
        author=str(document.organisation),
        subject=document.get_kind_display(),
        creator="Hromada",
    )
    story = [
        Paragraph(_text(document.organisation.name.upper()), styles["heading"]),
        Paragraph(_text(str(document.get_kind_display()).upper()), styles["heading"]),
        Spacer(1, 4 * mm),
        Paragraph(
            _text(f"від {document.registered_on:%d.%m.%Y} № {document.registration_index}"),
            styles["centre"],
        ),
        Spacer(1, 6 * mm),
        Paragraph(_text(document.summary), styles["bold"]),
        Spacer(1, 4 * mm),
    ]
    if document.addressee:
        story.append(Paragraph(_text(document.addressee), styles["body"]))
        story.append(Spacer(1, 3 * mm))
    for paragraph in (document.body or "").split("\n\n"):
        if paragraph.strip():
            story.append(Paragraph(_text(paragraph.strip()), styles["body"]))
            story.append(Spacer(1, 2 * mm))
    if document.attachments_note:
        story.append(Paragraph(_text(f"Додаток: {document.attachments_note}"), styles["body"]))
    story.append(Spacer(1, 10 * mm))
    signatory = document.signatory_name or (
        document.signatory.get_full_name() if document.signatory_id else ""
    )
    if signatory:
        story.append(Paragraph(_text(signatory), styles["body"]))
    story.append(Spacer(1, 10 * mm))
    story.append(
        Paragraph(
            _text(
                "Документ створено в електронній формі. Перевірити електронний підпис можна "
                "на сторінці перевірки підписів сайту громади."
            ),
            styles["small"],
        )
    )
    template.build(story)
    return buffer.getvalue()


def pdf_text(data: bytes, *, max_pages: int = 200) -> str:
    """The text layer of a PDF (empty when it has none or cannot be read)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages[:max_pages]).strip()
    except Exception as error:  # a scan without text or a damaged file: nothing to index
        logger.info("no text extracted from PDF: %s", error)
        return ""
