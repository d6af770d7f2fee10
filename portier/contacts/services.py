"""Every invited guest becomes a contact of the inviting host."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portier.contacts.models import Contact
from portier.lib import batch
from portier.lib.errors import DomainError
from portier.visits.models import GuestKind


def remember_guests(appointment, guests=None) -> None:
    """Add the appointment's current guests to its host's contacts (colleagues are not
    contacts). Called by the visits services inside the change's transaction; existing
    contacts are left as they are, and a contact without a name gets the guest's.
    `guests`: the appointment's guest rows when the caller has them."""
    rows = appointment.guests.all() if guests is None else guests
    guests = [g for g in rows if g.removed_at is None and g.kind == GuestKind.GUEST]
    for guest in guests:  # a sync's page writes its contacts in one upsert
        batch.defer(
            _remember,
            Contact(
                company_id=appointment.company_id,
                host_id=appointment.host_id,
                email=guest.email,
                name=guest.name,
            ),
        )


def _remember(contacts: list[Contact]) -> None:
    """Insert those the hosts do not have; give a nameless contact the first name given."""
    first: dict[tuple, Contact] = {}
    names: dict[tuple, str] = {}
    for contact in contacts:
        first.setdefault((contact.host_id, contact.email), contact)
        if contact.name:
            names.setdefault((contact.host_id, contact.email), contact.name)
    Contact.objects.bulk_create(list(first.values()), ignore_conflicts=True)
    if not names:
        return
    nameless = Contact.objects.filter(
        host_id__in={host for host, _email in names},
        email__in={email for _host, email in names},
        name="",
    )
    for contact in nameless:  # rare: usually nothing, one query
        name = names.get((contact.host_id, contact.email))
        if name:
            contact.name = name[:200]
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
