from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "portier.sync"
    verbose_name = _("Calendar sync")

    def ready(self):
        from portier.outbox import registry
        from portier.sync import notices

        registry.register(
            notices.HOST_INVALID_CODE,
            notices.plan_invalid_code,
            label=_("invalid location code (to the host)"),
        )
