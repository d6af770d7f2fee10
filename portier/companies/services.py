from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portier.accounts.models import User
from portier.companies.models import Company, Membership, Role
from portier.lib.errors import DomainError


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "company"
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def ensure_email_free(email: str) -> None:
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise DomainError(_("A user with this e-mail address already exists."), field="email")


@transaction.atomic
def create_company(
    *, name: str, admin_email: str, password: str | None, admin_name: str = "", language="en"
) -> tuple[Company, User]:
    """A new tenant with its first admin; the admin's e-mail domain counts as internal."""
    ensure_email_free(admin_email)
    domain = admin_email.strip().rpartition("@")[2].lower()
    company = Company.objects.create(
        name=name, slug=_unique_slug(name), language=language, internal_domains=[domain]
    )
    admin = User.objects.create_user(admin_email, password, name=admin_name, language="")
    Membership.objects.create(user=admin, company=company, role=Role.ADMIN)
    return company, admin


def _set_locations(membership: Membership, locations) -> None:
    """Reception works the front desks of these locations (none: every one); others none."""
    chosen = [loc for loc in (locations or []) if loc.company_id == membership.company_id]
    membership.locations.set(chosen if membership.is_reception else [])


@transaction.atomic
def add_member(
    *,
    company: Company,
    email: str,
    role: str,
    name: str = "",
    password: str | None = None,
    locations=(),
) -> User:
    ensure_email_free(email)
    user = User.objects.create_user(email, password, name=name)
    membership = Membership.objects.create(user=user, company=company, role=role)
    _set_locations(membership, locations)
    return user


@transaction.atomic
def invite_colleague(
    *, company: Company, invited_by: User, email: str, role: str, name: str = "", locations=()
) -> User:
    """Create the colleague without a password and e-mail them (through the outbox) a link to
    choose one. `locations`: the front desks a receptionist works (none: every one)."""
    from portier.invitations import host_notices
    from portier.invitations.models import Kind

    user = add_member(company=company, email=email, role=role, name=name, locations=locations)
    host_notices.write(
        kind=Kind.COLLEAGUE_INVITE,
        key=f"colleague-invite:{user.pk}",
        company=company,
        recipient=user.email,
        data={
            "template": "colleague-invite",
            "language": company.language,
            "user_id": user.pk,
            "context": {
                "user": {"email": user.email, "name": user.name},
                "company": {"name": company.name},
                "invited_by": {"name": invited_by.name, "email": invited_by.email},
            },
        },
    )
    return user


@transaction.atomic
def update_company(*, company: Company, name: str, language: str, internal_domains: list[str]):
    company.name = name
    company.language = language
    company.internal_domains = sorted({d.strip().lower().lstrip("@") for d in internal_domains})
    company.save()
    return company


def ensure_can_change_role(*, membership: Membership, role: str) -> None:
    """A company always keeps one admin."""
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        admins = Membership.objects.for_company(membership.company).filter(role=Role.ADMIN)
        if admins.count() <= 1:
            raise DomainError(_("The company needs at least one admin."), field="role")


@transaction.atomic
def change_role(*, membership: Membership, role: str, locations=None) -> Membership:
    """`locations` (reception): its front desks; None keeps them as they are."""
    ensure_can_change_role(membership=membership, role=role)
    membership.role = role
    membership.save(update_fields=["role"])
    if locations is not None or not membership.is_reception:
        _set_locations(membership, locations)
    return membership
