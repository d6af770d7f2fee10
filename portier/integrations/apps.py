from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "portier.integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from portier.integrations import notices
        from portier.outbox import registry

        registry.register(
            notices.HOST_RECONNECT,
            notices.plan_reconnect,
            label=_("reconnect needed (to the host)"),
        )
