"""Demo catalogue: one data set per registered source (runs after the modules' demos)."""

from __future__ import annotations

from hromada.opendata.models import Dataset
from hromada.opendata.services import datasets_sync


def build(*, stdout) -> list:
    datasets_sync(actor=None)
    stdout.write(f"  {Dataset.objects.filter(public=True).count()} open data sets")
    return []
