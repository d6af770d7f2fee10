"""Kiosks: a tablet at a location's entrance, reached by a link with its own secret.

Only the secret's SHA-256 is stored; the link is shown once, when the kiosk is created. A
revoked kiosk (or a wrong secret) is a 404: the link tells nobody that it ever existed.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portier.checkin.models import Kiosk
from portier.lib.errors import DomainError
from portier.lib.mail import absolute_url

SEEN_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def kiosk_url(secret: str) -> str:
    return absolute_url(reverse("checkin:kiosk", args=[secret]))


@transaction.atomic
def create_kiosk(*, location, name: str, by=None) -> tuple[Kiosk, str]:
    """A new kiosk and its secret (shown once; only its hash is kept)."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Give the kiosk a name, for example “Entrance tablet”."), field="name")
    secret = secrets.token_urlsafe(32)
    kiosk = Kiosk.objects.create(
        company=location.company,
        location=location,
        name=name[:100],
        secret_hash=hash_secret(secret),
        created_by=by,
    )
    return kiosk, secret


@transaction.atomic
def revoke_kiosk(*, kiosk: Kiosk) -> Kiosk:
    if kiosk.revoked_at is None:
        kiosk.revoked_at = timezone.now()
        kiosk.save(update_fields=["revoked_at"])
    return kiosk


def kiosk_for_secret(secret: str) -> Kiosk | None:
    """The active kiosk of this secret, or None; notes when it was last seen."""
    if not secret or len(secret) > 100:
        return None
    kiosk = (
        Kiosk.objects.active()
        .select_related("location__company", "company")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
    if kiosk is None:
        return None
    now = timezone.now()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at >= SEEN_EVERY:
        Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
        kiosk.last_seen_at = now
    return kiosk
