from django.apps import AppConfig


class DocflowConfig(AppConfig):
    name = "hromada.docflow"
    label = "docflow"
