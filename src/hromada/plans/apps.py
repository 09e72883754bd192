from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "hromada.plans"
    label = "plans"
