"""A service's application form, defined as data and rendered as an accessible Django form.

A form is a list of fields, each a dict::

    {"name": "address", "type": "text", "label": "Адреса", "required": true,
     "help": "…", "max_length": 200, "pattern": "…", "pattern_message": "…",
     "min": 1, "max": 10, "choices": [["a", "А"], …], "accept": ["pdf", "jpg"],
     "show_if": {"field": "has_children", "equals": true}}

Types: text, textarea, integer, date, email, phone, choice, boolean, rnokpp (the
taxpayer number, checked by its control digit as Diia does), file (a required
attachment when ``required``). A field with ``show_if`` counts only when the
condition holds: then it may be required, otherwise its answer is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from hromada.core.files import validate_upload

FIELD_TYPES = {
    "text",
    "textarea",
    "integer",
    "date",
    "email",
    "phone",
    "choice",
    "boolean",
    "rnokpp",
    "file",
}
DEFAULT_ACCEPT = ["pdf", "jpg", "jpeg", "png"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_PHONE = re.compile(r"^\+?380\d{9}$|^0\d{9}$")


class SchemaError(ValueError):
    """The form definition itself is wrong (caught when the catalogue is loaded)."""


def schema_check(fields: list[dict[str, Any]]) -> None:
    """Raise SchemaError naming the first problem in a form definition."""
    if not isinstance(fields, list):
        raise SchemaError("the form must be a list of fields")
    seen: dict[str, dict[str, Any]] = {}
    for position, field in enumerate(fields, start=1):
        name = field.get("name", "")
        if not _NAME.match(str(name)):
            raise SchemaError(f"field {position}: bad name {name!r}")
        if name in seen:
            raise SchemaError(f"field {name!r}: defined twice")
        if field.get("type") not in FIELD_TYPES:
            raise SchemaError(f"field {name!r}: unknown type {field.get('type')!r}")
        if not field.get("label"):
            raise SchemaError(f"field {name!r}: a label is required")
        if field["type"] == "choice" and not field.get("choices"):
            raise SchemaError(f"field {name!r}: a choice needs choices")
        condition = field.get("show_if")
        if condition is not None and condition.get("field") not in seen:
            raise SchemaError(f"field {name!r}: show_if must refer to a field defined before it")
        for extension in field.get("accept", []):
            if extension not in DEFAULT_ACCEPT + ["docx", "odt", "xlsx", "ods", "zip"]:
                raise SchemaError(f"field {name!r}: file type {extension!r} is not accepted")
        seen[name] = field


def rnokpp_valid(value: str) -> bool:
    """The control digit of a Ukrainian taxpayer number (РНОКПП)."""
    if not re.fullmatch(r"\d{10}", value):
        return False
    digits = [int(char) for char in value]
    weights = [-1, 5, 7, 9, 4, 6, 10, 5, 7]
    control = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10
    return control == digits[9]


def validate_rnokpp(value: str) -> None:
    if not rnokpp_valid(value):
        raise ValidationError(
            _("This is not a valid taxpayer number: it has 10 digits and a control digit."),
            code="rnokpp",
        )


def condition_holds(field: dict[str, Any], answers: dict[str, Any]) -> bool:
    condition = field.get("show_if")
    if not condition:
        return True
    return answers.get(condition["field"]) == condition.get("equals")


def _label_of(fields: list[dict[str, Any]], name: str) -> str:
    return next((f["label"] for f in fields if f["name"] == name), name)


def _django_field(spec: dict[str, Any]) -> forms.Field:
    kind = spec["type"]
    common: dict[str, Any] = {"label": spec["label"], "required": False}
    if kind == "text":
        validators = []
        if spec.get("pattern"):
            validators.append(
                RegexValidator(
                    spec["pattern"], message=spec.get("pattern_message") or _("Check the format.")
                )
            )
        return forms.CharField(
            max_length=spec.get("max_length", 300), validators=validators, **common
        )
    if kind == "textarea":
        return forms.CharField(
            max_length=spec.get("max_length", 4000),
            widget=forms.Textarea(attrs={"rows": 5}),
            **common,
        )
    if kind == "integer":
        return forms.IntegerField(min_value=spec.get("min"), max_value=spec.get("max"), **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "email":
        return forms.EmailField(**common)
    if kind == "phone":
        return forms.CharField(
            max_length=13,
            validators=[
                RegexValidator(
                    _PHONE, message=_("Enter a Ukrainian phone number, e.g. +380501234567.")
                )
            ],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            **common,
        )
    if kind == "choice":
        return forms.ChoiceField(
            choices=[("", "—")] + [tuple(choice) for choice in spec["choices"]], **common
        )
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind == "rnokpp":
        return forms.CharField(
            max_length=10,
            validators=[validate_rnokpp],
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            **common,
        )
    if kind == "file":
        accept = spec.get("accept") or DEFAULT_ACCEPT
        return forms.FileField(
            widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in accept)}),
            **common,
        )
    raise SchemaError(f"unknown type {kind!r}")


class ApplicationForm(forms.Form):
    """The form of one service. ``attached`` maps file fields to names already uploaded
    (a saved draft); ``draft=True`` checks formats but not completeness."""

    def __init__(
        self,
        *args: Any,
        schema: list[dict[str, Any]],
        attached: dict[str, str] | None = None,
        draft: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.attached = attached or {}
        self.draft = draft
        for spec in schema:
            field = _django_field(spec)
            helps = [spec.get("help", "")]
            if spec["type"] == "file":
                accept = ", ".join(spec.get("accept") or DEFAULT_ACCEPT)
                helps.append(str(_("Accepted: %(types)s, up to 10 MB.") % {"types": accept}))
                if spec["name"] in self.attached:
                    helps.append(
                        str(
                            _("Already attached: %(name)s. Choose a file only to replace it.")
                            % {"name": self.attached[spec["name"]]}
                        )
                    )
            if spec.get("show_if"):
                condition = spec["show_if"]
                helps.append(
                    str(
                        _("Fill in only if “%(field)s” is “%(value)s”.")
                        % {
                            "field": _label_of(schema, condition["field"]),
                            "value": _("yes")
                            if condition.get("equals") is True
                            else condition.get("equals"),
                        }
                    )
                )
            field.help_text = " ".join(text for text in helps if text)
            # Required-ness is decided in clean() (conditions, drafts, saved files); the mark
            # and the accessible attribute still tell the person what is required.
            field.mark_required = bool(spec.get("required"))
            if spec.get("required") and not spec.get("show_if") and spec["type"] != "file":
                field.widget.attrs["aria-required"] = "true"
            self.fields[spec["name"]] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for spec in self.schema:
            name = spec["name"]
            if not condition_holds(spec, cleaned):
                cleaned[name] = None
                continue
            value = cleaned.get(name)
            if spec["type"] == "file":
                if value:
                    try:
                        validate_upload(
                            value,
                            allowed=set(spec.get("accept") or DEFAULT_ACCEPT),
                            max_bytes=ATTACHMENT_MAX_BYTES,
                        )
                    except ValidationError as error:
                        self.add_error(name, error)
                        continue
                elif spec.get("required") and not self.draft and name not in self.attached:
                    self.add_error(name, _("Attach this document: it is required."))
                continue
            if spec.get("required") and not self.draft and value in (None, "", False):
                self.add_error(name, _("This field is required."))
        return cleaned

    def answers(self) -> dict[str, Any]:
        """The answers to store: JSON-friendly, without files and inapplicable fields."""
        result: dict[str, Any] = {}
        for spec in self.schema:
            if spec["type"] == "file":
                continue
            value = self.cleaned_data.get(spec["name"])
            if value in (None, ""):
                continue
            result[spec["name"]] = value.isoformat() if hasattr(value, "isoformat") else value
        return result

    def uploads(self) -> dict[str, Any]:
        return {
            spec["name"]: self.cleaned_data[spec["name"]]
            for spec in self.schema
            if spec["type"] == "file" and self.cleaned_data.get(spec["name"])
        }


def answers_for_display(
    schema: list[dict[str, Any]], answers: dict[str, Any]
) -> list[tuple[str, str]]:
    """(label, shown value) pairs, in form order, for the receipt and the staff view."""
    rows = []
    for spec in schema:
        if spec["type"] == "file" or spec["name"] not in answers:
            continue
        value = answers[spec["name"]]
        if spec["type"] == "boolean":
            shown = str(_("yes") if value else _("no"))
        elif spec["type"] == "choice":
            shown = dict((str(k), v) for k, v in spec["choices"]).get(str(value), str(value))
        else:
            shown = str(value)
        rows.append((spec["label"], shown))
    return rows
