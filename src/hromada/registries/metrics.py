from django.utils.translation import gettext_lazy as _

from hromada.core.metrics import metric
from hromada.registries.selectors import published_count


@metric(
    "registries.published_count",
    label=_("Registries published on the geoportal"),
    unit=_("registries"),
)
def registries_published():
    return published_count()
