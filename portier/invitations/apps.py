from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "portier.invitations"
    verbose_name = _("Invitations")

    def ready(self):
        from portier.invitations import decisions
        from portier.invitations.kinds import Kind
        from portier.outbox import registry

        for kind, label in Kind.choices:
            registry.register(kind, decisions.plan, label=label)
