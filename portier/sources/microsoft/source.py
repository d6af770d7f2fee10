"""Microsoft 365 / Outlook as the registry knows it."""

from django.utils.translation import gettext_lazy as _

from portier.sources.base import Source
from portier.sources.microsoft.auth import MicrosoftOAuth, is_configured
from portier.sources.microsoft.client import Microsoft
from portier.sources.microsoft.notifications import answer_handshake, parse_notification

SOURCE = Source(
    slug="microsoft",
    name=_("Microsoft Outlook"),
    client=Microsoft,
    connect=MicrosoftOAuth(),
    is_configured=is_configured,
    parse_notification=parse_notification,
    answer_handshake=answer_handshake,
    notification_status=202,
    simulator="portier.sources.microsoft.simulator.contract.MicrosoftSimulator",
    help_text=_(
        "Outlook sends its own invitation to everyone you invite, the invitation address "
        "included. Portier's invitation comes as well, with everything the guest needs for "
        "the visit."
    ),
)
