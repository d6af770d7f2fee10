from django.core.management.base import BaseCommand
from django.db import transaction

from portier.integrations.models import Calendar, Connection
from portier.lib.database import migrate_if_needed


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the first key of PORTIER_ENCRYPTION_KEYS. "
        "Afterwards old keys can be removed from the list."
    )

    def handle(self, *args, **opts):
        migrate_if_needed(self.stderr)
        # Reading decrypts with any key; saving encrypts with the first one.
        counts = {}
        with transaction.atomic():
            for model, fields in (
                (Connection, ["refresh_token", "access_token"]),
                (Calendar, ["channel_token"]),
            ):
                n = 0
                for obj in model.objects.select_for_update().iterator():
                    obj.save(update_fields=fields)
                    n += 1
                counts[model.__name__] = n
        self.stdout.write(
            "Re-encrypted "
            + ", ".join(f"{n} {name.lower()}(s)" for name, n in counts.items())
            + " with the first key."
        )
