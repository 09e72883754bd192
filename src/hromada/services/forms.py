"""Forms of the staff actions, the resident's answer and the city-issue report."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.services.models import IssueCategory, IssueStatus, Status


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search services"), required=False, max_length=100)
    situation = forms.SlugField(required=False, widget=forms.HiddenInput)
    online = forms.BooleanField(label=_("Only services available online"), required=False)


class QueueFilterForm(forms.Form):
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open"))] + [c for c in Status.choices if c[0] != Status.DRAFT],
    )
    assignee = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("To me")), ("none", _("Not assigned"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    # A service card's code; the page offers the chosen bodies' services.
    service = forms.SlugField(label=_("Service"), required=False, max_length=64)


class VersionedActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteActionForm(VersionedActionForm):
    note = forms.CharField(
        label=_("What information is needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class CommentForm(forms.Form):
    note = forms.CharField(
        label=_("Internal comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AdvanceForm(VersionedActionForm):
    note = forms.CharField(
        label=_("Note for the next step"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ApproveForm(VersionedActionForm):
    result_file = forms.FileField(
        label=_("Result document"),
        required=False,
        help_text=_("PDF, DOCX, ODT, JPG or PNG. Or leave empty and write the text below."),
    )
    result_text = forms.CharField(
        label=_("Text of a generated result document"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )


class RefuseForm(VersionedActionForm):
    ground = forms.CharField(
        label=_("Legal ground for the refusal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Name the article of the law and the grounds from the service card."),
    )


class ProvideInfoForm(forms.Form):
    note = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    document = forms.FileField(
        label=_("Document"), required=False, help_text=_("PDF, JPG or PNG, up to 20 MB.")
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        coerce=int,
        choices=[(5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")],
        widget=forms.RadioSelect,
    )


class IssueReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=IssueCategory.objects.order_by("group", "name"),
        empty_label="—",
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("For example 49.422983. Give the point or the address."),
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("For example 26.987133."),
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
    )
    address = forms.CharField(label=_("Address or landmark"), required=False, max_length=300)
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG or PNG. Large photos are made smaller; location data is removed."),
    )


class IssueStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=IssueStatus.choices)
    note = forms.CharField(
        label=_("Note for the public"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class IssueMergeForm(forms.Form):
    into = forms.IntegerField(label=_("Number of the original report"), min_value=1)
