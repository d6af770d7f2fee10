import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("Users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in by e-mail: a host, a receptionist or an admin of one company."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow your browser."),
    )
    # The browser's language when `language` is empty, as last seen: e-mails follow it too.
    browser_language = models.CharField(max_length=8, blank=True)
    primary_location = models.ForeignKey(
        "locations.Location",
        verbose_name=_("primary location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_users",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def mail_language(self, company=None) -> str:
        """The language of e-mails to this user: theirs, else their browser's, else the
        company's default."""
        company = company or getattr(getattr(self, "membership", None), "company", None)
        fallback = getattr(company, "language", "") or settings.LANGUAGE_CODE
        return self.language or self.browser_language or fallback

    @property
    def company(self):
        membership = getattr(self, "membership", None)
        return membership.company if membership else None

    @property
    def is_company_admin(self) -> bool:
        membership = getattr(self, "membership", None)
        return bool(membership and membership.is_admin)

    @property
    def is_reception(self) -> bool:
        membership = getattr(self, "membership", None)
        return bool(membership and membership.is_reception)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def usable(self, now):
        """Tokens that still open the API: not expired, their owner active."""
        return self.filter(user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the raw value is shown once."""

    PREFIX = "ptr_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    # Requests within this many seconds of the last recorded use do not write again.
    LAST_USED_PRECISION = 60

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name: str, *, expires_at=None) -> tuple["ApiToken", str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(raw),
            hint=raw[: len(cls.PREFIX) + 4],
            expires_at=expires_at,
        )
        return token, raw

    def is_expired(self, now) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def needs_last_used(self, now) -> bool:
        return (
            self.last_used is None
            or (now - self.last_used).total_seconds() >= self.LAST_USED_PRECISION
        )


class LoginSession(models.Model):
    """Which session keys belong to whom, so that ending a person's sessions works with any
    session engine (the store itself cannot be searched by user)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} ({self.created:%Y-%m-%d})"
