"""The outbox kinds of guest e-mails (this app registers their planner, see apps.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INVITATION = "invitation", _("invitation")
    UPDATE = "update", _("update")
    CANCELLATION = "cancellation", _("cancellation")
    SERIES_INVITATION = "series-invitation", _("series invitation")
    SERIES_CANCELLATION = "series-cancellation", _("series cancellation")


INVITING = (Kind.INVITATION, Kind.SERIES_INVITATION)
CANCELLING = (Kind.CANCELLATION, Kind.SERIES_CANCELLATION)
SERIES_KINDS = (Kind.SERIES_INVITATION, Kind.SERIES_CANCELLATION)
# Every other kind of the outbox goes to people of the company (hosts, colleagues), not guests.
GUEST_KINDS = frozenset(Kind.values)
