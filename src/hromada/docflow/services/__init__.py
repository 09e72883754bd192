"""Every write of the document workflow, by entity."""

from hromada.docflow.services.approvals import (  # noqa: F401
    StepPlan,
    approval_decide,
    route_start,
    steps_from_template,
)
from hromada.docflow.services.archive import case_close, case_upsert  # noqa: F401
from hromada.docflow.services.documents import (  # noqa: F401
    EDITABLE_CARD_FIELDS,
    access_grant,
    card_lock_reason,
    document_link,
    document_opened,
    document_publish,
    document_register,
    document_update,
    file_upload,
    file_version_recognise,
    file_versions_left_queued,
    journal_for,
    journal_year_open,
)
from hromada.docflow.services.resolutions import (  # noqa: F401
    execution_report,
    resolution_due,
    resolution_remove_from_control,
    resolution_write,
    resolutions_remind,
)
from hromada.docflow.services.signatures import document_sign  # noqa: F401
