from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hromada.docflow.services import (
    file_version_recognise,
    file_versions_left_queued,
    resolutions_remind,
)


@db_periodic_task(crontab(hour="8", minute="0"))
def remind_resolution_terms() -> int:
    """Each working morning: remind executors of resolutions due within a few days."""
    return resolutions_remind()


@db_task(retries=1, retry_delay=60)
def recognise_file_version(version_id: int) -> str:
    """OCR of an uploaded scan, after the upload's transaction commits."""
    return file_version_recognise(version_id=version_id).text_status


@db_periodic_task(crontab(minute="*/30"))
def recognise_scans_left_queued() -> int:
    """Scans whose OCR never finished (a worker stopped, a restart) are read again."""
    versions = file_versions_left_queued()
    for version_id in versions:
        file_version_recognise(version_id=version_id)
    return len(versions)
