"""Writes of the catalogue: data-set passports follow their sources (one transaction)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from hromada.core.audit import audit_record, diff, snapshot
from hromada.core.models import Organisation
from hromada.opendata.models import FREQUENCY_DAYS, Dataset
from hromada.opendata.sources import DatasetSource, all_sources

logger = logging.getLogger(__name__)

PASSPORT_FIELDS = [
    "title",
    "title_en",
    "description",
    "keeper_id",
    "contact_email",
    "update_frequency",
    "licence",
    "tags",
    "theme",
    "geometric",
    "public",
    "page_url",
    "data_modified_at",
]


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0


def _passport(source: DatasetSource, keeper: Organisation) -> dict[str, Any]:
    return {
        "title": source.title[:300],
        "title_en": source.title_en[:300],
        "description": source.description,
        "keeper_id": keeper.pk,
        "contact_email": source.contact_email or keeper.email,
        "update_frequency": source.update_frequency
        if source.update_frequency in FREQUENCY_DAYS
        else "irregular",
        "licence": source.licence,
        "tags": list(source.tags),
        "theme": source.theme,
        "geometric": source.geometric,
        "public": True,
        "page_url": source.page_url() if source.page_url else "",
        "data_modified_at": source.modified() if source.modified else None,
    }


@transaction.atomic
def datasets_sync(*, actor: Any, key: str | None = None) -> SyncResult:
    """Create, update or withdraw data sets so they match the registered sources."""
    result = SyncResult()
    sources = all_sources()
    keys = [key] if key else list(sources)
    keepers = {
        organisation.key: organisation
        for organisation in Organisation.objects.filter(
            key__in={source.keeper_key for source in sources.values()}
        )
    }
    for name in keys:
        source = sources.get(name)
        dataset = Dataset.objects.select_for_update().filter(key=name).first()
        if source is None:
            if dataset and dataset.public:
                dataset.public = False
                dataset.save()
                audit_record(
                    actor=actor,
                    action="dataset.withdraw",
                    target=dataset,
                    changes={"public": [True, False]},
                )
                result.withdrawn += 1
            continue
        keeper = keepers.get(source.keeper_key)
        if keeper is None:
            logger.warning("data set %s: unknown keeper %s", name, source.keeper_key)
            continue
        passport = _passport(source, keeper)
        if dataset is None:
            dataset = Dataset(key=name, **passport)
            dataset.full_clean()
            dataset.save()
            audit_record(
                actor=actor, action="dataset.create", target=dataset, changes=diff({}, passport)
            )
            result.created += 1
            continue
        comparable = {
            field: value.isoformat() if isinstance(value, datetime) else value
            for field, value in passport.items()
        }
        changes = diff(snapshot(dataset, PASSPORT_FIELDS), comparable)
        if changes:
            for field, value in passport.items():
                setattr(dataset, field, value)
            dataset.save()
            audit_record(actor=actor, action="dataset.update", target=dataset, changes=changes)
            result.updated += 1
    if key is None:
        for dataset in Dataset.objects.filter(public=True).exclude(key__in=list(sources)):
            dataset.public = False
            dataset.save()
            audit_record(
                actor=actor,
                action="dataset.withdraw",
                target=dataset,
                changes={"public": [True, False]},
            )
            result.withdrawn += 1
    return result
