from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "portier.companies"
    verbose_name = _("Companies")

    def ready(self):
        from portier.companies import notices
        from portier.outbox import registry

        registry.register(
            notices.COLLEAGUE_INVITE,
            notices.plan_invite,
            label=_("invitation to join (to a colleague)"),
        )
