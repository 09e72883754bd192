import pytest

from hromada.registries.models import RegistryDefinition
from tests.registries.factories import build_demo


@pytest.fixture
def demo_catalogue(db):
    build_demo()
    return {registry.key: registry for registry in RegistryDefinition.objects.all()}
