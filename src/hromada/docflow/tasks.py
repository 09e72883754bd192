from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hromada.docflow.services import resolutions_remind


@db_periodic_task(crontab(hour="8", minute="0"))
def remind_resolution_terms() -> int:
    """Each working morning: remind executors of resolutions due within a few days."""
    return resolutions_remind()
