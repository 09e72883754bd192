from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "hromada.services"
    label = "services"
    verbose_name = "Resident's cabinet and e-services"
