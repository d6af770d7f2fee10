"""Walk-ins: an unannounced visitor registered at the front desk is checked in at once; the
host learns of the arrival like for any guest, the visitor gets no e-mail."""

from django.db import transaction

from portier.checkin import services
from portier.checkin.models import Via
from portier.visits import manual


@transaction.atomic
def register(*, location, host, name, company_name="", email="", by=None):
    """Returns (guest, visit)."""
    guest = manual.walk_in(
        company=location.company,
        host=host,
        location=location,
        name=name,
        company_name=company_name,
        email=email,
        created_by=by,
    )
    visit, _new = services.check_in(guest, location=location, via=Via.DESK, by=by)
    return guest, visit
