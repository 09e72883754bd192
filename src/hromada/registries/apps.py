from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "hromada.registries"
    label = "registries"
