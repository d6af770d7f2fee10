from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from portier.accounts.services import create_token
from portier.companies.services import create_company
from portier.lib.database import migrate_if_needed
from portier.lib.errors import DomainError


class Command(BaseCommand):
    help = "Create a company with its first admin; prints the login URL and an API token."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument("--language", default="en", choices=[c for c, _ in settings.LANGUAGES])

    def handle(self, *args, **opts):
        migrate_if_needed(self.stderr)
        try:
            company, admin = create_company(
                name=opts["name"],
                admin_email=opts["admin_email"],
                password=opts["password"],
                admin_name=opts["admin_name"],
                language=opts["language"],
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        _token, raw = create_token(user=admin, name="createcompany")
        self.stdout.write(f"Company: {company.name} ({company.slug})")
        self.stdout.write(f"Admin:   {admin.email}")
        self.stdout.write(f"Login:   {settings.PORTIER_BASE_URL}{reverse('login')}")
        self.stdout.write(f"API token: {raw}")
