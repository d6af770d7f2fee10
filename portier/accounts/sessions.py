"""Ending a person's sessions in whatever store SESSION_ENGINE names."""

import logging
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from portier.accounts.models import LoginSession

log = logging.getLogger(__name__)


NOTED = "_portier_login_session"


def note_session(request, user) -> None:
    """Record the request's session key for `user` once (at log-in, and again whenever Django
    cycles the key, as a password change does). Engines that have no key before saving
    (signed cookies) are skipped: their sessions cannot be deleted server-side, and a
    deactivated user is refused by the auth backend anyway."""
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if key and session.get(NOTED) != key:
        remember_session(user=user, session_key=key)
        session[NOTED] = key


def remember_session(*, user, session_key: str) -> None:
    LoginSession.objects.get_or_create(session_key=session_key, defaults={"user": user})
    # Rows older than any session could live are of no use any more.
    too_old = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    LoginSession.objects.filter(user=user, created__lt=too_old).delete()


def forget_session(session_key: str | None) -> None:
    if session_key:
        LoginSession.objects.filter(session_key=session_key).delete()


def end_sessions(session_keys: list[str]) -> int:
    """Delete these sessions from the configured store (database, cache, files...)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in session_keys:
        store.delete(key)
    return len(session_keys)


def take_session_keys(user) -> list[str]:
    """The user's known session keys, forgotten here; call end_sessions with them."""
    rows = LoginSession.objects.filter(user=user)
    keys = list(rows.values_list("session_key", flat=True))
    rows.delete()
    return keys
