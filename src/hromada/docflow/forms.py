from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import User
from hromada.core.models import Organisation
from hromada.docflow.access import registering_bodies, visible_documents
from hromada.docflow.models import (
    DECISION_KINDS,
    Case,
    Document,
    DocumentKind,
    DocumentLink,
    RouteTemplate,
)
from hromada.docflow.services import EDITABLE_CARD_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def staff_users():
    return (
        User.objects.filter(is_active=True, role_assignments__isnull=False)
        .distinct()
        .order_by("full_name", "email")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    organisation = forms.ModelChoiceField(label=_("Registering body"), queryset=None)
    case = forms.ModelChoiceField(
        label=_("Case by the nomenclature"),
        queryset=None,
        required=False,
        help_text=_("The case the document is filed in; its index becomes part of the number."),
    )
    summary = forms.CharField(label=_("Short summary"), max_length=1000)
    correspondent = forms.CharField(
        label=_("Author or correspondent"), max_length=300, required=False
    )
    correspondent_number = forms.CharField(
        label=_("Correspondent's number"), max_length=60, required=False
    )
    correspondent_date = forms.DateField(
        label=_("Correspondent's date"), required=False, widget=DATE
    )
    received_on = forms.DateField(label=_("Date received"), required=False, widget=DATE)
    addressee = forms.CharField(label=_("Addressee"), max_length=300, required=False)
    addressee_bodies = forms.ModelMultipleChoiceField(
        label=_("Addressee bodies"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    body = forms.CharField(label=_("Full text"), required=False, widget=forms.Textarea)
    signatory = UserChoiceField(label=_("Signatory"), queryset=None, required=False)
    signatory_name = forms.CharField(
        label=_("Signed by (as printed)"), max_length=200, required=False
    )
    pages = forms.IntegerField(label=_("Pages"), min_value=1, initial=1)
    attachment_pages = forms.IntegerField(label=_("Pages of attachments"), min_value=0, initial=0)
    attachments_note = forms.CharField(label=_("Attachments"), max_length=300, required=False)
    medium = forms.ChoiceField(label=_("Original medium"), choices=Document.Medium.choices)
    restricted = forms.BooleanField(
        label=_("Restricted access (for official use only)"), required=False
    )
    is_public = forms.BooleanField(
        label=_("Publish in the public register of decisions"), required=False
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, DOCX, ODT, XLSX, ODS, PNG, JPEG or TXT.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = registering_bodies(user)
        self.fields["organisation"].queryset = bodies
        if bodies.count() == 1:
            self.fields["organisation"].initial = bodies.first().pk
        self.fields["case"].queryset = Case.objects.filter(
            organisation__in=bodies, year=timezone.localdate().year, closed_on__isnull=True
        ).order_by("index")
        self.fields["signatory"].queryset = staff_users()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_public") and data.get("kind") not in DECISION_KINDS:
            self.add_error("is_public", _("Only decisions are published in the public register."))
        if data.get("is_public") and data.get("restricted"):
            self.add_error("restricted", _("A published decision cannot be restricted."))
        return data


class CardEditForm(forms.Form):
    """The descriptive fields of a registered card, asked as the register form asks them;
    the registration itself (kind, body, number, index, date) is not offered."""

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        kwargs.setdefault("initial", card_initial(document))
        super().__init__(*args, **kwargs)
        for name in EDITABLE_CARD_FIELDS:
            self.fields[name] = copy.deepcopy(RegisterForm.base_fields[name])
        self.document = document
        self.fields["case"].queryset = Case.objects.filter(
            organisation_id=document.organisation_id, year=document.year, closed_on__isnull=True
        ).order_by("index")
        self.fields["case"].help_text = _(
            "The case the document is filed in; the registration index stays as it was given."
        )
        self.fields["signatory"].queryset = staff_users()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.document.is_public and data.get("restricted"):
            self.add_error("restricted", _("A published decision cannot be restricted."))
        return data


def card_initial(document: Document) -> dict[str, Any]:
    initial = {name: getattr(document, name) for name in EDITABLE_CARD_FIELDS}
    initial["addressee_bodies"] = list(document.addressee_bodies.all())
    return initial


class FileForm(forms.Form):
    title = forms.CharField(
        label=_("File title"),
        max_length=200,
        required=False,
        help_text=_("Use the title of an existing file to add a new version of it."),
    )
    file = forms.FileField(label=_("File"))


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Link"), choices=DocumentLink.Kind.choices)
    target = forms.ModelChoiceField(label=_("Linked document"), queryset=None)

    def __init__(self, *args: Any, user: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            visible_documents(user).exclude(pk=document.pk).order_by("-id")
        )


class GrantForm(forms.Form):
    user = UserChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_users()


class RouteForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Route template"),
        queryset=None,
        required=False,
        help_text=_("Choose a template, or name the approvers below."),
    )
    stage_1 = UsersChoiceField(
        label=_("Stage 1 approvers (approve in parallel)"), queryset=None, required=False
    )
    stage_2 = UsersChoiceField(
        label=_("Stage 2 approvers (after stage 1)"), queryset=None, required=False
    )
    term_days = forms.IntegerField(
        label=_("Term for each approver, working days"), min_value=1, max_value=30, initial=2
    )

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from hromada.docflow.services.approvals import templates_for

        self.fields["template"].queryset = RouteTemplate.objects.filter(
            pk__in=[template.pk for template in templates_for(document=document)]
        )
        self.fields["stage_1"].queryset = staff_users()
        self.fields["stage_2"].queryset = staff_users()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("template") and not data.get("stage_1") and not data.get("stage_2"):
            raise forms.ValidationError(_("Choose a template or name at least one approver."))
        return data


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject or return the document."),
    )


class ResolutionForm(forms.Form):
    instruction = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_executor = UserChoiceField(label=_("Lead executor"), queryset=None)
    co_executors = UsersChoiceField(label=_("Co-executors"), queryset=None, required=False)
    term_days = forms.IntegerField(
        label=_("Term, calendar days"),
        min_value=1,
        max_value=365,
        initial=10,
        help_text=_("A term ending on a day off moves to the previous working day."),
    )
    controller = UserChoiceField(label=_("Controller"), queryset=None, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_executor", "co_executors", "controller"):
            self.fields[name].queryset = staff_users()


class ReportForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind"))] + DocumentKind.choices
    )
    organisation = forms.ModelChoiceField(
        label=_("Body"), required=False, queryset=None, empty_label=_("Any body")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + Document.Status.choices
    )
    date_from = forms.DateField(label=_("Registered from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Registered until"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # EXISTS per body: a join over every document would read them all.
        with_documents = Exists(Document.objects.filter(organisation=OuterRef("pk")))
        self.fields["organisation"].queryset = Organisation.objects.filter(with_documents).order_by(
            "name"
        )


def parse_page_cursor(value: str) -> tuple[date, int] | None:
    """ "YYYY-MM-DD.id" of the last document shown -> (date, id); None if damaged."""
    day, _dot, pk = value.partition(".")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed PDF file"), help_text=_("The file is checked and not kept.")
    )


class CaseForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Body"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    index = forms.CharField(label=_("Case index"), max_length=20)
    title = forms.CharField(label=_("Case title"), max_length=500)
    retention_years = forms.IntegerField(
        label=_("Retention period, years"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for permanent retention."),
    )
    retention_basis = forms.CharField(label=_("Retention basis"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = registering_bodies(user)
        self.fields["year"].initial = timezone.localdate().year
