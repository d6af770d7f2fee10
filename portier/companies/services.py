import logging

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portier.accounts.models import ApiToken, User
from portier.accounts.sessions import end_sessions, take_session_keys
from portier.companies import notices
from portier.companies.models import AuditAction, AuditEntry, Company, Membership, Role
from portier.integrations import services as integrations
from portier.integrations.models import Connection
from portier.lib.errors import DomainError

log = logging.getLogger(__name__)


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


def domain_of(email: str) -> str:
    return email.strip().rpartition("@")[2].lower()


def company_owning_domain(domain: str, *, exclude: Company | None = None) -> Company | None:
    """The company that lists `domain` among its internal domains, if any."""
    companies = Company.objects.exclude(pk=exclude.pk) if exclude else Company.objects.all()
    # internal_domains is a JSON list: compare in Python, it is one short list per company.
    for company in companies.only("pk", "internal_domains"):
        if domain in {d.lower() for d in company.internal_domains}:
            return company
    return None


def ensure_domain_not_claimed(email: str, *, company: Company | None = None) -> None:
    """An address at a domain another company lists as internal is that company's to add."""
    domain = domain_of(email)
    if company_owning_domain(domain, exclude=company) is not None:
        raise DomainError(
            _(
                "Addresses at %(domain)s belong to another company in Portier; "
                "only that company can add them."
            )
            % {"domain": domain},
            field="email",
        )


@transaction.atomic
def create_company(
    *, name: str, admin_email: str, password: str | None, admin_name: str = "", language="en"
) -> tuple[Company, User]:
    """A new tenant with its first admin; the admin's e-mail domain counts as internal."""
    ensure_domain_not_claimed(admin_email)
    ensure_email_free(admin_email)
    domain = domain_of(admin_email)
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
) -> User | None:
    """Create the colleague without a password and e-mail them (through the outbox) a link to
    choose one. `locations`: the front desks a receptionist works (none: every one).

    The answer must not tell whether an address is in use at another company: for such an
    address nothing is created, nobody is e-mailed, and None is returned, which the caller
    reports exactly like an invitation sent. Addresses at another company's internal domain
    are refused openly (the domain, not the person, is what that reveals).
    """
    ensure_domain_not_claimed(email, company=company)
    existing = User.objects.filter(email__iexact=email.strip()).select_related("membership")
    existing = existing.first()
    if existing is not None:
        if getattr(existing, "membership", None) and existing.membership.company_id == company.pk:
            raise DomainError(_("%(email)s is already a member.") % {"email": existing.email})
        log.info(
            "invitation of an address in use elsewhere dropped (company %s, by user %s)",
            company.pk,
            invited_by.pk,
        )
        return None
    user = add_member(company=company, email=email, role=role, name=name, locations=locations)
    notices.invite(company=company, invited_by=invited_by, user=user)
    return user


@transaction.atomic
def update_company(*, company: Company, name: str, language: str, internal_domains: list[str]):
    domains = sorted({d.strip().lower().lstrip("@") for d in internal_domains})
    for domain in set(domains) - {d.lower() for d in company.internal_domains}:
        if company_owning_domain(domain, exclude=company) is not None:
            raise DomainError(
                _("%(domain)s is already an internal domain of another company.")
                % {"domain": domain},
                field="internal_domains",
            )
    company.name = name
    company.language = language
    company.internal_domains = domains
    company.save()
    return company


def _other_active_admins(membership: Membership):
    return (
        Membership.objects.for_company(membership.company_id)
        .filter(role=Role.ADMIN, user__is_active=True)
        .exclude(pk=membership.pk)
    )


def ensure_can_change_role(*, membership: Membership, role: str) -> None:
    """A company always keeps one active admin."""
    demotes = membership.role == Role.ADMIN and role != Role.ADMIN
    if demotes and membership.user.is_active and not _other_active_admins(membership).exists():
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


def ensure_can_deactivate(*, membership: Membership, actor: User) -> None:
    if membership.user_id == actor.pk:
        raise DomainError(_("You cannot deactivate yourself."))
    if membership.role == Role.ADMIN and not _other_active_admins(membership).exists():
        raise DomainError(_("The company needs at least one admin."))


def _audit(*, membership: Membership, actor: User, action: str) -> None:
    AuditEntry.objects.create(
        company_id=membership.company_id,
        actor=actor,
        actor_label=actor.email,
        action=action,
        subject=membership.user,
        subject_label=membership.user.email,
    )
    log.info(
        "%s: %s (user %s) by %s (user %s)",
        action,
        membership.user.email,
        membership.user_id,
        actor.email,
        actor.pk,
    )


def deactivate_member(*, membership: Membership, actor: User) -> Membership:
    """Someone left: they can no longer log in (password or token), are no longer offered as
    a host, their sessions end, their tokens are revoked and their calendars disconnected.
    Their appointments stay, readable by the company's admins.

    The database changes commit first; the calls to the calendar provider come after, outside
    any transaction (disconnect() forgets the tokens even when the provider does not answer).
    """
    with transaction.atomic():
        # Lock the company's admins: two admins deactivating each other must leave one.
        list(
            Membership.objects.select_for_update()
            .filter(company_id=membership.company_id, role=Role.ADMIN)
            .values_list("pk", flat=True)
        )
        membership = Membership.objects.select_related("user").get(pk=membership.pk)
        ensure_can_deactivate(membership=membership, actor=actor)
        user = membership.user
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            _audit(membership=membership, actor=actor, action=AuditAction.MEMBER_DEACTIVATED)
        ApiToken.objects.filter(user=user).delete()
        session_keys = take_session_keys(user)
    end_sessions(session_keys)
    for connection in Connection.objects.filter(user=user).active():
        integrations.disconnect(connection=connection)
    return membership


@transaction.atomic
def reactivate_member(*, membership: Membership, actor: User) -> Membership:
    """They may log in again (with their old password or a reset); tokens and calendars stay
    gone until they create and connect new ones."""
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    user = membership.user
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        _audit(membership=membership, actor=actor, action=AuditAction.MEMBER_REACTIVATED)
    return membership
