from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "hromada.opendata"
    label = "opendata"
