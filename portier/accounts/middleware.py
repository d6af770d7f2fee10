from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from portier.accounts.sessions import note_session


class UserLanguageMiddleware:
    """A logged-in user's profile language wins over the browser's (LocaleMiddleware's choice)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        elif user and user.is_authenticated:
            _remember_browser_language(user, getattr(request, "LANGUAGE_CODE", ""))
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


def _remember_browser_language(user, language: str) -> None:
    """A user without a chosen language gets e-mails in the language their browser asks for."""
    if language and language != user.browser_language:
        get_user_model().objects.filter(pk=user.pk).update(browser_language=language)
        user.browser_language = language


class UserTimeZoneMiddleware:
    """Times on pages are shown in the zone of the user's primary location (else UTC);
    appointment pages still show each visit in its location's own zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        location = (
            getattr(user, "primary_location", None) if user and user.is_authenticated else None
        )
        if location is not None:
            timezone.activate(location.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class LoginSessionMiddleware:
    """Remember which session keys belong to a logged-in user (see LoginSession).

    Log-ins are noted by the user_logged_in signal; this catches keys that Django cycles
    later (a password change) and costs nothing once the session's key is noted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            note_session(request, user)
        return response
