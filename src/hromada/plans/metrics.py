"""Live metrics the plans module offers itself."""

from django.utils.translation import gettext_lazy as _

from hromada.core.metrics import metric, percent
from hromada.plans.models import Completion, Measure, ProgressReport


@metric("plans.measures_complete_share", label=_("Measures complete"), unit="%")
def measures_complete_share():
    counted = Measure.objects.exclude(completion=Completion.WITHDRAWN)
    return percent(counted.filter(completion=Completion.COMPLETE).count(), counted.count())


@metric("plans.reports_published", label=_("Progress reports published"), unit=_("reports"))
def reports_published():
    return ProgressReport.objects.filter(state=ProgressReport.State.PUBLISHED).count()
