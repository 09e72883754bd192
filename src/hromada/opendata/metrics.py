from django.utils.translation import gettext_lazy as _

from hromada.core.metrics import metric, percent
from hromada.opendata.selectors import fresh_counts


@metric(
    "opendata.fresh_share",
    label=_("Share of open data sets updated on schedule"),
    unit="%",
)
def fresh_share():
    fresh, total = fresh_counts()
    return percent(fresh, total)
