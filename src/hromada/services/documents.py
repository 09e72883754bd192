"""PDF documents of an application: the receipt and a generated result document.

Text is Ukrainian, so the vendored DejaVu Sans is used (reportlab's own Vera font has
no Cyrillic glyphs).
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hromada.core.pdf import register_fonts
from hromada.services.form_schema import answers_for_display
from hromada.services.models import Application


def _fonts() -> None:
    register_fonts()  # DejaVu Sans, shipped in core/fonts


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10.5, leading=14)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName="DejaVuSans-Bold",
            fontSize=15,
            leading=19,
            spaceAfter=8,
        ),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _date(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else "—"


def _build(title: str, story_rows: list, closing: list[str]) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=settings.HROMADA_NAME,
    )
    story = [
        _p(settings.HROMADA_NAME, styles["small"]),
        Spacer(1, 4 * mm),
        _p(title, styles["title"]),
    ]
    table = Table(
        [[_p(label, styles["body"]), _p(value, styles["body"])] for label, value in story_rows],
        colWidths=[58 * mm, 112 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#9aa5b1"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story += [table, Spacer(1, 6 * mm)]
    story += [_p(line, styles["body"]) for line in closing]
    document.build(story)
    return buffer.getvalue()


def receipt_pdf(application: Application) -> bytes:
    """The receipt (опис / розписка) given when an application is submitted."""
    service = application.service
    unit = "робочих днів" if service.term_kind == service.Term.WORKING else "календарних днів"
    rows = [
        ("Номер заяви", application.number),
        ("Послуга", service.name),
        ("Заявник", application.applicant.get_full_name() or application.applicant.email),
        ("Подано", timezone.localtime(application.submitted_at).strftime("%d.%m.%Y %H:%M")),
        ("Строк надання", f"{service.term_days} {unit}"),
        ("Граничний строк", _date(application.due_date)),
        ("Суб'єкт надання", service.organisation.name),
    ]
    rows += answers_for_display(service.form_schema, application.data)
    attachments = [f.original_name for f in application.files.all() if f.kind == "attachment"]
    if attachments:
        rows.append(("Додані документи", "\n".join(attachments)))
    return _build(
        f"Розписка про отримання заяви № {application.number}",
        rows,
        [
            "Заяву отримано в електронній формі через кабінет мешканця. "
            "Стан розгляду можна відстежувати в кабінеті за номером заяви.",
            f"Підстава строку: {service.term_basis or service.legal_basis.splitlines()[0]}",
        ],
    )


def result_pdf(application: Application, *, text: str, signer: str) -> bytes:
    """A result document generated from the staff member's text (when none is uploaded)."""
    service = application.service
    rows = [
        ("Заява", application.number),
        ("Послуга", service.name),
        ("Заявник", application.applicant.get_full_name() or application.applicant.email),
        ("Дата", _date(timezone.localdate())),
        ("Суб'єкт надання", service.organisation.name),
    ]
    return _build(
        f"{service.result.splitlines()[0]}",
        rows,
        [text, "", f"Посадова особа: {signer}"],
    )
