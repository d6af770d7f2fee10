from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portier.api"
    verbose_name = "API"
