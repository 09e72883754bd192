"""Indicator values: entered by staff, or measured by the system from live metrics."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hromada.accounts.permissions import can_change
from hromada.core.audit import audit_record
from hromada.core.metrics import provider
from hromada.plans.models import Indicator, IndicatorValue
from hromada.plans.selectors import live_indicators


@transaction.atomic
def indicator_value_record(
    *, actor: Any, indicator: Indicator, on: date, value: Decimal | str, note: str = ""
) -> IndicatorValue:
    if indicator.is_live:
        raise ValidationError(_("This indicator is measured by the system; it cannot be entered."))
    if actor is not None and not can_change(actor, indicator):
        raise PermissionDenied(_("Only staff of a body responsible for this measure may do this."))
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise ValidationError({"value": _("Enter a number.")}) from error
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        date=on,
        defaults={"value": amount, "source": IndicatorValue.Source.MANUAL, "note": note},
    )
    audit_record(
        actor=actor,
        action="indicator.value",
        target=indicator,
        changes={str(on): [None, str(amount)]},
    )
    return row


@transaction.atomic
def indicator_bind(*, actor: Any, indicator: Indicator, metric_key: str) -> Indicator:
    if metric_key and provider(metric_key) is None:
        raise ValidationError({"metric_key": _("No live metric has this key.")})
    before = indicator.metric_key
    indicator.metric_key = metric_key
    indicator.save(update_fields=["metric_key"])
    audit_record(
        actor=actor,
        action="indicator.bind",
        target=indicator,
        changes={"metric_key": [before, metric_key]},
    )
    return indicator


@transaction.atomic
def indicators_snapshot(*, on: date) -> int:
    """Store today's value of every live indicator (idempotent per day)."""
    stored = 0
    for indicator in live_indicators():
        metric = provider(indicator.metric_key)
        value = metric.value() if metric else None
        if value is None:
            continue
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            date=on,
            defaults={"value": value, "source": IndicatorValue.Source.LIVE, "note": ""},
        )
        stored += 1
    return stored
