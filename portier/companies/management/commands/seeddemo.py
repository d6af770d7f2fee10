from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from portier.companies.models import Company, Role
from portier.companies.services import add_member, create_company
from portier.lib.database import migrate_if_needed
from portier.locations.services import create_location

DEMO_NAME = "Demo GmbH"
DEMO_PASSWORD = "portier-demo"
ADMIN_EMAIL = "admin@demo.example"
HOST_EMAIL = "host@demo.example"
RECEPTION_EMAIL = "reception@demo.example"


class Command(BaseCommand):
    help = "Create the demo company on first start (idempotent) and print the demo logins."

    def handle(self, *args, **opts):
        self.verbosity = opts["verbosity"]
        migrate_if_needed(self.stderr)  # outside the transaction: SQLite cannot migrate in one
        with transaction.atomic():
            self.seed()

    def seed(self):
        # Only on a first start: an installation that has its own company gets no demo.
        if not Company.objects.exists():
            company, admin = create_company(
                name=DEMO_NAME,
                admin_email=ADMIN_EMAIL,
                password=DEMO_PASSWORD,
                admin_name="Anna Admin",
                language="de",
            )
            hq = create_location(
                company=company,
                name="Hauptsitz Berlin",
                address="Friedrichstraße 100\n10117 Berlin",
                time_zone="Europe/Berlin",
                code="HQ",
            )
            create_location(
                company=company,
                name="Büro München",
                address="Leopoldstraße 50\n80802 München",
                time_zone="Europe/Berlin",
            )
            admin.primary_location = hq
            admin.save()
            add_member(
                company=company,
                email=HOST_EMAIL,
                role=Role.HOST,
                name="Hans Host",
                password=DEMO_PASSWORD,
            )
            add_member(
                company=company,
                email=RECEPTION_EMAIL,
                role=Role.RECEPTION,
                name="Rita Rezeption",
                password=DEMO_PASSWORD,
            )
            if self.verbosity:
                self.stdout.write("Seeded the demo company Demo GmbH.")
        if not self.verbosity or not Company.objects.filter(name=DEMO_NAME).exists():
            return  # `make run` passes --verbosity 0: serve prints the logins when it is up
        url = settings.PORTIER_BASE_URL + reverse("login")
        self.stdout.write(
            f"\nPortier is at {url}\n"
            f"  admin: {ADMIN_EMAIL} / {DEMO_PASSWORD}\n"
            f"  host:  {HOST_EMAIL} / {DEMO_PASSWORD}\n"
            f"  reception: {RECEPTION_EMAIL} / {DEMO_PASSWORD}\n"
        )
