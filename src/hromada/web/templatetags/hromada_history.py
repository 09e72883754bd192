"""Readable change history: action codes and field names in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "create": _("created"),
    "update": _("changed"),
    "import": _("changed by import"),
    "progress": _("progress updated from a published report"),
    "publish": _("published"),
    "record": _("independent assessment published"),
    "value": _("indicator value recorded"),
    "bind": _("bound to a live metric"),
    "add": _("added"),
    "change": _("changed"),
}
HIDDEN_FIELDS = {"position", "commitment_id", "lead_id", "parent_id"}


@dataclass(frozen=True)
class HistoryRow:
    event: object
    label: str
    changes: list[tuple[str, object, object]]


def _field(target_type: str, name: str):
    try:
        return apps.get_model(target_type)._meta.get_field(name.removesuffix("_id"))
    except (LookupError, FieldDoesNotExist, ValueError):
        return None


def _shown(field, value):
    """A stored value as a reader knows it: the label of a choice, not its code."""
    if field is not None and field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    return value


@register.filter
def history_rows(events) -> list[HistoryRow]:
    rows = []
    for event in events:
        verb = event.action.rsplit(".", 1)[-1]
        label = ACTION_LABELS.get(verb, event.action)
        changes = []
        if verb != "create":  # a creation's every field is the page itself
            for field, values in (event.changes or {}).items():
                if field in HIDDEN_FIELDS or not isinstance(values, list) or len(values) != 2:
                    continue
                model_field = _field(event.target_type, field)
                label = str(model_field.verbose_name) if model_field is not None else field
                changes.append(
                    (label, _shown(model_field, values[0]), _shown(model_field, values[1]))
                )
        rows.append(HistoryRow(event=event, label=str(label), changes=changes))
    return rows
