"""Periodic tasks without a worker: in the embedded mode (no Redis, tasks run
in-process), `hromada serve` runs Huey's periodic tasks from a thread, once a minute,
exactly as a Huey consumer's scheduler would. At scale, `hromada run_huey` does it."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from django.db import close_old_connections
from huey.contrib.djhuey import HUEY

log = logging.getLogger(__name__)


def run_due_periodic_tasks(now: datetime | None = None) -> int:
    """Run every periodic task whose crontab matches ``now``; returns how many ran."""
    ran = 0
    for task in HUEY.read_periodic(now or datetime.now()):
        try:
            HUEY.enqueue(task)
            ran += 1
        except Exception:  # one failing task must not stop the others
            log.exception("periodic task %s failed", task.name)
    return ran


def start_in_process_scheduler() -> threading.Thread | None:
    if not HUEY.immediate:
        return None  # a Huey consumer runs the schedule

    def loop() -> None:
        while True:
            # Wake at the start of each minute, as the consumer does.
            time.sleep(60 - time.time() % 60)
            run_due_periodic_tasks()
            # This thread's connection must not outlive CONN_MAX_AGE or a server restart.
            close_old_connections()

    thread = threading.Thread(target=loop, name="hromada-scheduler", daemon=True)
    thread.start()
    return thread
