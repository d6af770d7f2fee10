"""Every invited guest becomes a contact of the inviting host."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portier.contacts.models import Contact
from portier.lib.errors import DomainError
from portier.visits.models import GuestKind


def remember_guests(appointment, guests=None) -> None:
    """Add the appointment's current guests to its host's contacts (colleagues are not
    contacts). Called by the visits services inside the change's transaction; existing
    contacts are left as they are, and a contact without a name gets the guest's.
    `guests`: the appointment's guest rows when the caller has them."""
    rows = appointment.guests.all() if guests is None else guests
    guests = [g for g in rows if g.removed_at is None and g.kind == GuestKind.GUEST]
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


def update_contact(*, contact: Contact, name: str, email: str) -> Contact:
    """Correct a contact's name or address. The address stays one per host's address book."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("%(email)s is not a valid e-mail address.") % {"email": email}, field="email"
        ) from None
    taken = Contact.objects.filter(host_id=contact.host_id, email=email).exclude(pk=contact.pk)
    if taken.exists():
        raise DomainError(
            _("%(email)s is already one of your contacts.") % {"email": email}, field="email"
        )
    contact.name = " ".join((name or "").split())[:200]
    contact.email = email
    contact.save(update_fields=["name", "email"])
    return contact


def delete_contact(*, contact: Contact) -> None:
    """Forget a contact. Appointments keep their guests; inviting the address again adds it
    back."""
    contact.delete()
