from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.core.models import Organisation
from hromada.plans.models import Assessment, Comment, Completion, OgpValue


class DateInput(forms.DateInput):
    input_type = "date"


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    organisation = forms.ChoiceField(label=_("Responsible body"), required=False)
    completion = forms.ChoiceField(
        label=_("Completion"), required=False, choices=[("", _("Any"))] + list(Completion.choices)
    )
    ogp_value = forms.ChoiceField(
        label=_("OGP value"), required=False, choices=[("", _("Any"))] + list(OgpValue.choices)
    )
    term = forms.ChoiceField(
        label=_("Term"),
        required=False,
        choices=[
            ("", _("Any")),
            ("current", _("Under way")),
            ("overdue", _("Overdue")),
            ("future", _("Not started yet")),
            ("ended", _("Term ended")),
        ],
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Any"))] + [
            (org.key, org.name) for org in organisations
        ]


class ReportForm(forms.Form):
    period_start = forms.DateField(label=_("Reporting period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Reporting period to"), widget=DateInput)
    completion = forms.ChoiceField(label=_("Completion (IRM scale)"), choices=Completion.choices)
    progress = forms.IntegerField(
        label=_("Progress, %"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress must be between 0 and 100."),
            "max_value": _("Progress must be between 0 and 100."),
        },
    )
    narrative = forms.CharField(label=_("What was done"), widget=forms.Textarea)
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the warnings above and want to save anyway"), required=False
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title of the evidence"), max_length=300)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image, office document, CSV or text; up to 20 MB."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What needs to be revised"), widget=forms.Textarea)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your proposal or comment"), widget=forms.Textarea, max_length=5000
    )


class CommentAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How it was taken into account"),
        choices=[c for c in Comment.Outcome.choices if c[0]],
    )
    response = forms.CharField(label=_("Answer to the author"), widget=forms.Textarea)


class AssessmentForm(forms.ModelForm):
    evidence_url = forms.URLField(label=_("Evidence"), required=False, assume_scheme="https")

    class Meta:
        model = Assessment
        fields = ["completion", "potential", "opened_government", "comment", "evidence_url"]


class IndicatorValueForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Source or note"), required=False, max_length=300)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("measures", _("Measures")), ("reports", _("Progress reports"))],
    )
    file = forms.FileField(label=_("CSV or XLSX file with the export's columns"))


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)
