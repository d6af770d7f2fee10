from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactQuerySet(models.QuerySet):
    def for_host(self, user):
        """A host's own address book: nobody else's, not even an admin's colleagues'."""
        return self.filter(host=user, company=user.company)


class Contact(models.Model):
    """Someone a host has invited: offered again when the host invites guests by hand."""

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    email = models.EmailField(_("e-mail address"), max_length=320)
    name = models.CharField(_("name"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["host", "email"], name="one_contact_per_host_email")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email
