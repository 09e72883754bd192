import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from hromada.core.exports import csv_lines
from hromada.core.models import AuditEvent
from hromada.plans.models import Measure
from hromada.plans.services import tabular


def exported_csv(plan) -> bytes:
    return "".join(csv_lines(tabular.MEASURE_COLUMNS, tabular.measure_rows(plan=plan))).encode()


def test_exported_measures_reimport_with_no_change(plan, coordinator):
    events = AuditEvent.objects.count()
    rows = tabular.read_table(name="measures.csv", content=exported_csv(plan))
    result = tabular.measures_import(actor=coordinator, plan=plan, rows=rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7)
    assert AuditEvent.objects.count() == events


def test_excel_csv_with_semicolons_in_windows_1251_reads(plan, coordinator):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(tabular.MEASURE_COLUMNS)
    writer.writerows(tabular.measure_rows(plan=plan))
    rows = tabular.read_table(name="m.csv", content=buffer.getvalue().encode("cp1251"))
    result = tabular.measures_import(actor=coordinator, plan=plan, rows=rows)
    assert result.unchanged == 7


def test_import_changes_a_measure_and_audits_it(plan, coordinator):
    rows = tabular.read_table(name="measures.csv", content=exported_csv(plan))
    rows[0]["progress"] = "42"
    result = tabular.measures_import(actor=coordinator, plan=plan, rows=rows)
    assert result.updated == 1
    assert Measure.objects.get(external_id=rows[0]["external_id"]).progress == 42
    assert AuditEvent.objects.filter(action="measure.import").count() == 1


def test_one_bad_row_among_many_imports_nothing_and_names_it(plan, coordinator):
    rows = tabular.read_table(name="measures.csv", content=exported_csv(plan))
    template = dict(rows[0])
    many = []
    for index in range(500):
        row = dict(template, external_id=f"new-{index}", number=f"1.{index + 10}")
        many.append(row)
    many[321]["lead"] = "unknown_body"
    many[400]["end"] = "2019-01"
    with pytest.raises(tabular.ImportRejected) as rejected:
        tabular.measures_import(actor=coordinator, plan=plan, rows=many)
    faults = {(error.row, error.column) for error in rejected.value.errors}
    assert faults == {(323, "lead"), (402, "end")}
    assert Measure.objects.count() == 7


def test_duplicate_external_ids_are_refused(plan, coordinator):
    rows = tabular.read_table(name="measures.csv", content=exported_csv(plan))
    rows[1]["external_id"] = rows[0]["external_id"]
    with pytest.raises(tabular.ImportRejected) as rejected:
        tabular.measures_import(actor=coordinator, plan=plan, rows=rows)
    assert rejected.value.errors[0].column == "external_id"


def test_staff_may_not_import(plan, infocentre_staff):
    with pytest.raises(PermissionDenied):
        tabular.measures_import(actor=infocentre_staff, plan=plan, rows=[])


def test_xlsx_round_trip(plan, coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(tabular.MEASURE_COLUMNS)
    for row in tabular.measure_rows(plan=plan):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = tabular.read_table(name="m.xlsx", content=buffer.getvalue())
    result = tabular.measures_import(actor=coordinator, plan=plan, rows=rows)
    assert result.unchanged == 7


def test_garbage_xlsx_is_reported(plan):
    with pytest.raises(tabular.ImportRejected, match="nothing imported"):
        tabular.read_table(name="m.xlsx", content=b"not a zip")


def test_missing_column_is_reported(plan, coordinator):
    rows = [{"external_id": "x"}]
    with pytest.raises(tabular.ImportRejected) as rejected:
        tabular.measures_import(actor=coordinator, plan=plan, rows=rows)
    assert rejected.value.errors[0].column.startswith("commitment")


def published_report(measure, staff, coordinator, **changes):
    from hromada.plans.services import reports
    from tests.plans.test_reports import report_input

    report = reports.report_create(actor=staff, measure=measure, data=report_input(**changes))
    reports.report_submit(actor=staff, report=report)
    return reports.report_publish(actor=coordinator, report=report)


def exported_reports(plan) -> list[dict[str, str]]:
    from hromada.plans.selectors import published_reports

    content = "".join(
        csv_lines(tabular.REPORT_COLUMNS, tabular.report_rows(reports=published_reports(plan=plan)))
    ).encode()
    return tabular.read_table(name="reports.csv", content=content)


def test_exported_reports_reimport_with_no_change(plan, measure, infocentre_staff, coordinator):
    published_report(measure, infocentre_staff, coordinator)
    events = AuditEvent.objects.count()
    result = tabular.reports_import(actor=coordinator, plan=plan, rows=exported_reports(plan))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert AuditEvent.objects.count() == events


def test_imported_reports_move_the_measure_to_the_latest(
    plan, measure, infocentre_staff, coordinator
):
    published_report(measure, infocentre_staff, coordinator, progress=40)
    rows = exported_reports(plan)
    later = dict(rows[0], period_start="2022-07-01", period_end="2022-12-31", progress="90")
    result = tabular.reports_import(actor=coordinator, plan=plan, rows=rows + [later])
    assert (result.created, result.unchanged) == (1, 1)
    measure.refresh_from_db()
    assert measure.progress == 90


def test_report_from_a_body_not_responsible_is_refused(
    plan, measure, infocentre_staff, coordinator
):
    published_report(measure, infocentre_staff, coordinator)
    rows = exported_reports(plan)
    rows[0]["author_organisation"] = "spetskomuntrans"
    rows[0]["progress"] = "x"
    with pytest.raises(tabular.ImportRejected) as rejected:
        tabular.reports_import(actor=coordinator, plan=plan, rows=rows)
    assert {e.column for e in rejected.value.errors} == {"author_organisation", "progress"}
