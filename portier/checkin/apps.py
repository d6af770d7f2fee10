from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    name = "portier.checkin"
    verbose_name = _("Check-in")

    def ready(self):
        from portier.checkin import notices
        from portier.outbox import registry

        registry.register(
            notices.HOST_ARRIVAL, notices.plan_arrival, label=_("guest arrived (to the host)")
        )
        registry.register(
            notices.HOST_GUEST_DECLINED,
            notices.plan_declined,
            label=_("guest declined (to the host)"),
        )
