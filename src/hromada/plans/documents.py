"""The plan as documents: a PDF laid out like the approved plan's tables, the OGP
commitment template (JSON and CSV) and the end-of-commitment self-assessment (PDF)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hromada.core.pdf import TABLE_STYLE, register_fonts, styles
from hromada.plans.models import Plan
from hromada.plans.selectors import commitments_with_measures, published_reports, weighted_progress

VALUE_NAMES_UK = {
    "transparency": "Прозорість",
    "participation": "Участь громадськості",
    "accountability": "Громадська підзвітність",
    "technology": "Технології та інновації",
}


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    register_fonts()
    return SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Hromada",
    )


def _page_number(canvas, doc) -> None:
    regular, _bold = register_fonts()
    canvas.setFont(regular, 8)
    canvas.drawRightString(doc.pagesize[0] - 15 * mm, 8 * mm, str(doc.page))


def plan_pdf(*, plan: Plan) -> bytes:
    """The whole plan: the approving act, the description, and per commitment the
    table «Заходи / Відповідальні / Термін / Партнери / Очікувані результати»."""
    sheet = styles()
    buffer = io.BytesIO()
    doc = _document(buffer, plan.title)
    story: list[Any] = []
    if plan.act_number:
        story += [
            _p(plan.act_body.upper(), sheet["h3"]),
            _p(f"{plan.act_kind} від {plan.act_date:%d.%m.%Y} № {plan.act_number}", sheet["body"]),
            _p(plan.act_title, sheet["h3"]),
            _p(plan.act_preamble, sheet["body"]),
            _p("ВИРІШИВ:", sheet["h3"]),
        ]
        story += [
            _p(f"{index}. {item}", sheet["body"]) for index, item in enumerate(plan.act_items, 1)
        ]
        story += [_p(plan.act_signed_by, sheet["body"]), PageBreak()]
    story += [_p(plan.title, sheet["title"]), _p("ЗАГАЛЬНИЙ ОПИС", sheet["h2"])]
    story += [_p(paragraph, sheet["body"]) for paragraph in plan.description.split("\n\n")]
    story += [_p("ЗОБОВ’ЯЗАННЯ ДЛЯ РЕАЛІЗАЦІЇ ПЛАНУ ДІЙ", sheet["h2"])]
    for commitment in commitments_with_measures(plan=plan):
        story += [
            _p(f"Зобов’язання {commitment.number}. {commitment.title}", sheet["h2"]),
            _p(f"Проблеми, які вирішує зобов’язання: {commitment.problem}", sheet["body"]),
            _p(
                f"До якої довгострокової мети відноситься це зобов’язання: {commitment.goal}",
                sheet["body"],
            ),
            _p(
                f"До якої галузевої сфери відноситься зобов’язання: {commitment.sectors_text}",
                sheet["body"],
            ),
            _p(
                f"Яким цінностям Ініціативи відповідає зобов’язання: {commitment.values_text}",
                sheet["body"],
            ),
            _p(commitment.basis, sheet["body"]),
            Spacer(1, 4),
        ]
        header = [
            "Заходи",
            "Відповідальні за виконання",
            "Термін реалізації",
            "Партнери",
            "Очікувані результати",
        ]
        rows = [[_p(text, sheet["cellhead"]) for text in header]]
        for measure in commitment.measures.all():
            rows.append(
                [
                    _p(f"{measure.number}. {measure.text}", sheet["small"]),
                    _p(measure.responsible_text, sheet["small"]),
                    _p(measure.term_text, sheet["small"]),
                    _p(measure.partners_text, sheet["small"]),
                    _p(measure.expected_results, sheet["small"]),
                ]
            )
        table = Table(rows, colWidths=[70 * mm, 50 * mm, 32 * mm, 50 * mm, 65 * mm], repeatRows=1)
        table.setStyle(TableStyle(TABLE_STYLE))
        story.append(table)
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def self_assessment_pdf(*, plan: Plan, period_start: date, period_end: date) -> bytes:
    """End-of-commitment self-assessment: per measure, completion, progress and the
    reports published in the period."""
    sheet = styles()
    buffer = io.BytesIO()
    doc = _document(buffer, f"Самооцінка виконання: {plan.title}")
    story: list[Any] = [
        _p("Звіт самооцінки виконання Плану дій", sheet["title"]),
        _p(plan.title, sheet["h3"]),
        _p(f"Звітний період: {period_start:%d.%m.%Y} – {period_end:%d.%m.%Y}", sheet["body"]),
    ]
    reports = list(
        published_reports(plan=plan).filter(
            period_end__gte=period_start, period_start__lte=period_end
        )
    )
    for commitment in commitments_with_measures(plan=plan):
        measures = list(commitment.measures.all())
        story += [
            _p(f"Зобов’язання {commitment.number}. {commitment.title}", sheet["h2"]),
            _p(f"Загальний прогрес: {weighted_progress(measures)}%", sheet["body"]),
        ]
        header = [
            "Захід",
            "Відповідальні",
            "Термін",
            "Рівень виконання",
            "Прогрес",
            "Звіти за період",
        ]
        rows = [[_p(text, sheet["cellhead"]) for text in header]]
        for measure in measures:
            narrative = (
                "\n".join(
                    f"{r.period_start:%m.%Y}–{r.period_end:%m.%Y}: {r.narrative}"
                    for r in reports
                    if r.measure_id == measure.pk
                )
                or "—"
            )
            rows.append(
                [
                    _p(f"{measure.number}. {measure.text}", sheet["small"]),
                    _p(measure.responsible_text, sheet["small"]),
                    _p(measure.term_text, sheet["small"]),
                    _p(str(measure.get_completion_display()), sheet["small"]),
                    _p(f"{measure.progress}%", sheet["small"]),
                    _p(narrative, sheet["small"]),
                ]
            )
        table = Table(
            rows, colWidths=[62 * mm, 42 * mm, 28 * mm, 25 * mm, 18 * mm, 92 * mm], repeatRows=1
        )
        table.setStyle(TableStyle(TABLE_STYLE))
        story.append(table)
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def ogp_template(*, plan: Plan) -> list[dict[str, Any]]:
    """Commitments in the shape of OGP's commitment template (one dict per commitment)."""
    result = []
    for commitment in commitments_with_measures(plan=plan):
        result.append(
            {
                "commitment_id": f"{plan.external_id}-{commitment.number}",
                "commitment_title": commitment.title,
                "problem_definition": commitment.problem,
                "long_term_goal": commitment.goal,
                "policy_area": commitment.sectors_text,
                "ogp_values": commitment.ogp_values,
                "ogp_values_text": commitment.values_text,
                "resources_and_basis": commitment.basis,
                "milestones": [
                    {
                        "milestone_id": measure.external_id,
                        "activity": measure.text,
                        "expected_results": measure.expected_results,
                        "start_date": measure.start.isoformat(),
                        "end_date": measure.end.isoformat(),
                        "term_as_written": measure.term_text,
                        "lead_implementing_agency": measure.lead.name,
                        "responsible": [
                            row.organisation.name for row in measure.responsibilities.all()
                        ],
                        "other_actors": [str(partner) for partner in measure.partners.all()],
                        "completion": measure.completion,
                        "progress_percent": measure.progress,
                    }
                    for measure in commitment.measures.all()
                ],
            }
        )
    return result


OGP_CSV_HEADER = [
    "commitment_id",
    "commitment_title",
    "problem_definition",
    "long_term_goal",
    "policy_area",
    "ogp_values",
    "milestone_id",
    "activity",
    "expected_results",
    "start_date",
    "end_date",
    "lead_implementing_agency",
    "other_actors",
    "completion",
    "progress_percent",
]


def ogp_template_rows(*, plan: Plan) -> Iterator[list[Any]]:
    for commitment in ogp_template(plan=plan):
        for milestone in commitment["milestones"]:
            yield [
                commitment["commitment_id"],
                commitment["commitment_title"],
                commitment["problem_definition"],
                commitment["long_term_goal"],
                commitment["policy_area"],
                ";".join(commitment["ogp_values"]),
                milestone["milestone_id"],
                milestone["activity"],
                milestone["expected_results"],
                milestone["start_date"],
                milestone["end_date"],
                milestone["lead_implementing_agency"],
                ";".join(milestone["other_actors"]),
                milestone["completion"],
                milestone["progress_percent"],
            ]
