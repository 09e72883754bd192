from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "hromada.services"
    label = "services"
