"""The first page's walk-through for a new user: what to do next, where, and what is done."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portier.sandbox import client as sandbox_client
from portier.sandbox.models import CaughtMail
from portier.visits.models import Appointment


def get_started_steps(user) -> list[dict]:
    sandbox_google = sandbox_client.is_running()
    marked = Appointment.objects.filter(host=user).exists()
    steps = [
        {
            "key": "location",
            "done": user.primary_location_id is not None,
            "text": _("Set your primary location"),
            "help": _("Appointments from your calendar land there."),
            "url": reverse("accounts:profile"),
        },
        {
            "key": "connect",
            "done": user.connections.exclude(status="disconnected").exists(),
            "text": _("Connect your calendar"),
            "help": _("In sandbox mode this is a simulated Google Calendar: no account needed.")
            if sandbox_google
            else "",
            "url": reverse("integrations:list"),
        },
        {
            "key": "mark",
            "done": marked,
            "text": _("Add the invitation address to an event"),
            "help": _("Add a guest too: Portier invites every guest from outside your company."),
            "url": reverse("sandbox:calendar") if sandbox_google else "",
            "marker": True,
        },
    ]
    if settings.PORTIER_SANDBOX and not settings.EMAIL_HOST:
        steps.append(
            {
                "key": "mail",
                "done": marked and CaughtMail.objects.exists(),
                "text": _("Read the invitation in the mail viewer"),
                "help": _("In sandbox mode e-mail is kept here instead of being sent."),
                "url": reverse("sandbox:mail"),
            }
        )
    return steps
