"""What `portier serve` prints once the web server answers: where to go and how to log in."""

from django.conf import settings
from django.urls import reverse

from portier.companies.management.commands.seeddemo import (
    ADMIN_EMAIL,
    DEMO_NAME,
    DEMO_PASSWORD,
    HOST_EMAIL,
    RECEPTION_EMAIL,
)
from portier.companies.models import Company


def first_run_text(sandbox=None, microsoft=None) -> str:
    base = settings.PORTIER_BASE_URL
    lines = ["", f"Portier is ready: {base + reverse('login')}"]
    if Company.objects.filter(name=DEMO_NAME).exists():
        lines += [
            f"  Demo logins: {HOST_EMAIL} / {DEMO_PASSWORD} (host), "
            f"{ADMIN_EMAIL} / {DEMO_PASSWORD} (admin),",
            f"    {RECEPTION_EMAIL} / {DEMO_PASSWORD} (front desk)",
        ]
    if settings.PORTIER_SANDBOX:
        lines += ["Sandbox mode: no Google account and no mail server needed."]
        if sandbox is not None:
            lines += [
                f"  Google Calendar is simulated on {sandbox.url} (reachable from this computer"
                " only). Connect it under Integrations,",
                f"  then create events at {base + reverse('sandbox:calendar')}",
            ]
        if microsoft is not None:
            lines += [
                f"  Microsoft Outlook is simulated on {microsoft.url} as well (same page, "
                "its own tab).",
            ]
        if settings.EMAIL_HOST:
            lines += [f"  E-mail goes out through {settings.EMAIL_HOST}."]
        else:
            lines += [f"  E-mail is caught, not sent: read it at {base + reverse('sandbox:mail')}"]
        lines += [
            "  For real Google and SMTP see docs/google.md and docs/configuration.md "
            "(setting GOOGLE_CLIENT_ID ends sandbox mode).",
        ]
    return "\n".join(lines) + "\n"
