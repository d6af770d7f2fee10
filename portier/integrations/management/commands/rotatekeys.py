from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from portier.lib.database import migrate_if_needed
from portier.lib.fields import EncryptedTextField


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, found by field class: a new secret is covered by
    declaring it an EncryptedTextField, with no list here to keep up to date."""
    found = []
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


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
            for model, fields in encrypted_fields():
                n = 0
                for obj in model._default_manager.select_for_update().iterator():
                    obj.save(update_fields=fields)
                    n += 1
                counts[model.__name__] = n
        self.stdout.write(
            "Re-encrypted "
            + ", ".join(f"{n} {name.lower()}(s)" for name, n in counts.items())
            + " with the first key."
        )
