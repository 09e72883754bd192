from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hromada.docflow.services import file_version_recognise, resolutions_remind


@db_periodic_task(crontab(hour="8", minute="0"))
def remind_resolution_terms() -> int:
    """Each working morning: remind executors of resolutions due within a few days."""
    return resolutions_remind()


@db_task(retries=1, retry_delay=60)
def recognise_file_version(version_id: int) -> str:
    """OCR of an uploaded scan, after the upload's transaction commits."""
    return file_version_recognise(version_id=version_id).text_status
