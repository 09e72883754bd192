"""Every published registry is a data set of the open data catalogue."""

from __future__ import annotations

from collections.abc import Iterator

from hromada.opendata.sources import Column, DatasetSource, register_provider
from hromada.registries import selectors
from hromada.registries.models import RegistryDefinition


def _source(registry: RegistryDefinition) -> DatasetSource:
    key = registry.key

    def current() -> RegistryDefinition:
        # Rows are read when a download is asked for, so fetch the definition fresh.
        return RegistryDefinition.objects.get(key=key)

    def columns() -> list[Column]:
        return [
            Column(
                name=column["name"],
                title=column["title"],
                type=column["type"],
                description=column.get("description", ""),
                required=column["required"],
                enum=tuple(column.get("choices") or ()),
                pattern=column.get("pattern", ""),
                unit=column.get("unit", ""),
            )
            for column in selectors.table_columns(current())
        ]

    return DatasetSource(
        key=key.replace("_", "-"),
        title=registry.title,
        title_en=registry.title_en,
        description=registry.description,
        keeper_key=registry.keeper.key,
        contact_email=registry.contact_email,
        update_frequency=registry.update_frequency,
        licence=registry.licence,
        tags=tuple(registry.tags),
        theme="geodata" if registry.has_geometry else "registries",
        columns=columns,
        rows=lambda: selectors.table_rows(registry=current()),
        features=(lambda: selectors.features(registry=current()))
        if registry.has_geometry
        else None,
        modified=lambda: current().data_modified_at,
        page_url=registry.get_absolute_url,
        extras={"ogc_collection": key},
    )


@register_provider
def registry_sources() -> Iterator[DatasetSource]:
    for registry in selectors.registries_public():
        yield _source(registry)
