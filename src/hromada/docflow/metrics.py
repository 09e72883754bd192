from django.utils.translation import gettext_lazy as _

from hromada.core.metrics import metric


@metric(
    "docflow.paperless_share",
    label=_("Share of documents created, approved and signed electronically"),
    unit="%",
)
def paperless_share():
    from hromada.docflow.selectors import paperless_share as share

    return share().share
