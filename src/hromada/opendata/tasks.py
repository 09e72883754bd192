"""Background work of the catalogue: keep data-set passports in step with their sources."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def datasets_sync_task(key: str | None = None) -> None:
    from hromada.opendata.services import datasets_sync

    datasets_sync(actor=None, key=key)


@db_periodic_task(crontab(minute="17"))
def datasets_sync_hourly() -> None:
    # Sources that do not call source_changed() (or whose change was missed) catch up here.
    from hromada.opendata.services import datasets_sync

    datasets_sync(actor=None)
