from django.utils import timezone, translation

from portier.accounts.sessions import remember_session


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
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


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

    The session notes the key it was recorded under, so a row is written only when the key is
    new: at log-in and whenever Django cycles the key (a password change), not per request.
    Engines that have no key before saving (signed cookies) are skipped: their sessions cannot
    be deleted server-side, and a deactivated user is refused by the auth backend anyway.
    """

    NOTED = "_portier_login_session"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        key = session.session_key
        if key and session.get(self.NOTED) != key:
            remember_session(user=user, session_key=key)
            session[self.NOTED] = key
        return response
