from django.conf import settings

from portier.sandbox import client


def sandbox(request):
    return {
        "sandbox": settings.PORTIER_SANDBOX,
        "sandbox_google": client.is_running(),
        "sandbox_mail": settings.PORTIER_SANDBOX and not settings.EMAIL_HOST,
    }
