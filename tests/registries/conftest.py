import pytest

from hromada.registries.models import RegistryDefinition
from hromada.registries.services import registry_set_state, registry_upsert
from tests.registries.factories import build_demo, make_keepers


@pytest.fixture
def keepers(db):
    return make_keepers()


@pytest.fixture
def demo_registries(db):
    build_demo()
    return {registry.key: registry for registry in RegistryDefinition.objects.all()}


@pytest.fixture
def heritage(keepers):
    """A small published point registry with an identifier field and a pattern."""
    registry = registry_upsert(
        actor=None,
        key="monuments",
        keeper=keepers["culture_tourism_dept"],
        title="Пам'ятки",
        geometry_type="point",
        id_field="code",
        label_field="name",
        fields=[
            {
                "name": "code",
                "title": "Охоронний номер",
                "type": "string",
                "required": True,
                "pattern": "[0-9]{4}",
            },
            {"name": "name", "title": "Назва", "type": "string", "required": True},
            {
                "name": "category",
                "title": "Категорія",
                "type": "string",
                "choices": ["національного значення", "місцевого значення"],
            },
            {"name": "year", "title": "Рік", "type": "integer"},
            {"name": "area", "title": "Площа", "type": "number", "unit": "м²"},
        ],
    )
    return registry_set_state(
        actor=None, registry=registry, state=RegistryDefinition.State.PUBLISHED
    )


@pytest.fixture
def parcels(keepers):
    registry = registry_upsert(
        actor=None,
        key="parcels",
        keeper=keepers["economy_dept"],
        title="Земельні ділянки",
        geometry_type="polygon",
        fields=[
            {"name": "cadastral", "title": "Кадастровий номер", "type": "string", "required": True}
        ],
    )
    return registry_set_state(
        actor=None, registry=registry, state=RegistryDefinition.State.PUBLISHED
    )


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests read the English message texts; the interface defaults to Ukrainian."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
