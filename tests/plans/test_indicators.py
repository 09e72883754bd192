from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hromada.core import metrics
from hromada.plans.models import Indicator, IndicatorValue
from hromada.plans.services import indicators


@pytest.fixture
def test_metric():
    key = "tests.constant_share"
    metrics.metric(key, label="Test share", unit="%")(lambda: Decimal("42.5"))
    yield key
    metrics._REGISTRY.pop(key, None)


@pytest.fixture
def indicator(measure):
    return Indicator.objects.create(
        measure=measure, name="Онлайн-послуги", unit="%", baseline=Decimal(18), target=Decimal(100)
    )


def test_live_indicator_is_snapshotted_from_its_metric(indicator, test_metric):
    indicators.indicator_bind(actor=None, indicator=indicator, metric_key=test_metric)
    assert indicators.indicators_snapshot(on=date(2026, 11, 29)) == 1
    assert indicators.indicators_snapshot(on=date(2026, 11, 29)) == 1  # same day: replaced
    value = IndicatorValue.objects.get(indicator=indicator)
    assert (value.value, value.source) == (Decimal("42.50"), IndicatorValue.Source.LIVE)


def test_binding_to_an_unknown_metric_is_refused(indicator):
    with pytest.raises(ValidationError):
        indicators.indicator_bind(actor=None, indicator=indicator, metric_key="no.such_metric")
    indicator.refresh_from_db()
    assert indicator.metric_key == ""


def test_a_live_indicator_cannot_be_entered_by_hand(indicator, test_metric, infocentre_staff):
    indicators.indicator_bind(actor=None, indicator=indicator, metric_key=test_metric)
    with pytest.raises(ValidationError):
        indicators.indicator_value_record(
            actor=infocentre_staff, indicator=indicator, on=date(2026, 1, 1), value="10"
        )
    assert not IndicatorValue.objects.exists()


def test_staff_of_the_body_records_a_manual_value(indicator, infocentre_staff):
    indicators.indicator_value_record(
        actor=infocentre_staff, indicator=indicator, on=date(2022, 6, 30), value="55"
    )
    assert IndicatorValue.objects.get().source == IndicatorValue.Source.MANUAL


def test_staff_of_another_body_cannot_record_values(indicator, other_staff):
    with pytest.raises(PermissionDenied):
        indicators.indicator_value_record(
            actor=other_staff, indicator=indicator, on=date(2022, 6, 30), value="55"
        )
    assert not IndicatorValue.objects.exists()


def test_plans_registers_its_own_metrics(plan):
    keys = metrics.providers()
    assert "plans.measures_complete_share" in keys
    assert keys["plans.measures_complete_share"].value() == Decimal("0.00")
