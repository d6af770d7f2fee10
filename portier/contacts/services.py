"""Every invited guest becomes a contact of the inviting host."""

from portier.contacts.models import Contact
from portier.visits.models import GuestKind


def remember_guests(appointment) -> None:
    """Add the appointment's current guests to its host's contacts (colleagues are not
    contacts). Called by the visits services inside the change's transaction; existing
    contacts are left as they are, and a contact without a name gets the guest's."""
    guests = [
        g for g in appointment.guests.all() if g.removed_at is None and g.kind == GuestKind.GUEST
    ]
    if not guests:
        return
    Contact.objects.bulk_create(
        [
            Contact(
                company_id=appointment.company_id,
                host_id=appointment.host_id,
                email=g.email,
                name=g.name,
            )
            for g in guests
        ],
        ignore_conflicts=True,
    )
    names = {g.email: g.name for g in guests if g.name}
    if names:
        nameless = Contact.objects.filter(host_id=appointment.host_id, email__in=names, name="")
        for contact in nameless:  # rare: usually nothing, one query
            contact.name = names[contact.email][:200]
            contact.save(update_fields=["name"])
