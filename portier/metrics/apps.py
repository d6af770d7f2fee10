from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "portier.metrics"
    verbose_name = "Metrics"
