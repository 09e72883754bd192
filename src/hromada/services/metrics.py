"""Live indicators of measure 1.2: the share of municipal services available online."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from hromada.core.metrics import metric, percent
from hromada.services.models import ServiceCard


@metric(
    "services.online_share",
    label=_("Municipal services with a working online application"),
    unit="%",
)
def online_share() -> Decimal | None:
    """Published services that can be applied for online ÷ all published services."""
    published = ServiceCard.objects.filter(published=True)
    online = published.filter(online=True).exclude(form_schema=[])
    return percent(online.count(), published.count())
