import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hromada.core.models import AuditEvent, Organisation
from hromada.plans.models import Commitment, Measure, Partner, Plan
from hromada.plans.services.loader import PlanFileError, plan_load
from tests.plans.conftest import PLAN_FILE

SEED = (
    Path(__file__).resolve().parents[3] / "shared/seeds/khmelnytskyi-ogp-action-plan-2021-2022.txt"
)


def normalise(text: str) -> str:
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def test_reference_plan_has_three_commitments_and_seven_measures(plan):
    assert plan.act_number == "784"
    assert plan.act_date.isoformat() == "2021-08-12"
    assert len(plan.act_items) == 4
    assert Commitment.objects.filter(plan=plan).count() == 3
    assert [m.number for m in Measure.objects.order_by("commitment__position", "position")] == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
    ]


def test_measures_keep_responsible_bodies_terms_partners_and_results(plan):
    measure = Measure.objects.get(external_id="khm-2021-1.3")
    assert measure.lead.key == "infocentre"
    assert [r.organisation.key for r in measure.responsibilities.all()][:2] == [
        "infocentre",
        "infrastructure_dept",
    ]
    assert measure.term_text == "вересень 2021 р. – липень 2022 р."
    assert (measure.start.isoformat(), measure.end.isoformat()) == ("2021-09-01", "2022-07-31")
    person = Partner.objects.get(measure=measure, person__isnull=False)
    assert person.person.full_name == "Андрій Гнап" and person.by_consent
    assert measure.expected_results.startswith("На геопорталі міської ради доступні реєстри")


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not beside this checkout")
def test_texts_match_the_seed_word_for_word(plan):
    seed = normalise(SEED.read_text(encoding="utf-8"))
    texts = []
    for commitment in Commitment.objects.filter(plan=plan):
        texts += [
            commitment.title,
            commitment.goal,
            commitment.sectors_text,
            commitment.values_text,
        ]
        texts += commitment.problem.split("\n\n")
    for measure in Measure.objects.all():
        texts += [
            measure.text,
            measure.responsible_text,
            measure.term_text,
            measure.partners_text,
            measure.expected_results,
        ]
    texts += plan.act_items
    missing = [text for text in texts if normalise(text) not in seed]
    assert not missing


def test_loading_twice_changes_nothing(plan):
    events = AuditEvent.objects.count()
    plan_load(path=PLAN_FILE)
    assert AuditEvent.objects.count() == events
    assert Measure.objects.count() == 7 and Plan.objects.count() == 1


def _broken_copy(tmp_path, old: str, new: str) -> Path:
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_measure_ending_before_it_starts_names_line_and_field(db, tmp_path):
    path = _broken_copy(tmp_path, 'end: "2022-12"', 'end: "2020-01"')
    with pytest.raises(PlanFileError) as failure:
        plan_load(path=path)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if '"2020-01"' in text)
    assert failure.value.line == line and failure.value.field_name == "end"
    assert not Plan.objects.exists() and not Organisation.objects.exists()


def test_unknown_organisation_loads_nothing(db, tmp_path):
    path = _broken_copy(tmp_path, "lead: executive_committee", "lead: ministry_of_magic")
    with pytest.raises(PlanFileError, match="unknown organisation 'ministry_of_magic'"):
        plan_load(path=path)
    assert not Measure.objects.exists() and not AuditEvent.objects.exists()


def test_missing_required_text_is_named(db, tmp_path):
    path = _broken_copy(tmp_path, "external_id: khm-2021-2.1", "external_id: ''")
    with pytest.raises(PlanFileError, match="field 'external_id': is required"):
        plan_load(path=path)


def test_not_yaml_at_all_is_reported(db, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("plan: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match="not valid YAML"):
        plan_load(path=path)


def test_load_plan_command_reports_fault_as_command_error(db, tmp_path):
    path = _broken_copy(tmp_path, "status: completed", "status: finished")
    with pytest.raises(CommandError, match="field 'status'"):
        call_command("load_plan", str(path))
    shutil.copy(PLAN_FILE, tmp_path / "ok.yaml")
    call_command("load_plan", str(tmp_path / "ok.yaml"))
    assert Measure.objects.count() == 7
