"""Google Calendar as the registry knows it."""

from django.utils.translation import gettext_lazy as _

from portier.sources.base import Source
from portier.sources.google.client import Google
from portier.sources.google.connect import GoogleOAuth, is_configured
from portier.sources.google.notifications import parse_notification
from portier.sources.google.parse import ROOM_DOMAINS

SOURCE = Source(
    slug="google",
    name=_("Google Calendar"),
    client=Google,
    connect=GoogleOAuth(),
    is_configured=is_configured,
    parse_notification=parse_notification,
    room_domains=ROOM_DOMAINS,
    simulator="portier.sources.google.simulator.contract.GoogleSimulator",
    help_text=_(
        "Tip: when Google asks whether to send invitation e-mails to your guests, choose "
        "“Don't send”. Portier invites them itself, with everything they need for the visit."
    ),
)
