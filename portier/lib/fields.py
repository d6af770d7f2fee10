from django.db import models

from portier.lib import crypto


class EncryptedTextField(models.TextField):
    """Text stored Fernet-encrypted; Python sees plaintext, the database only ciphertext.

    Not searchable or orderable by value, by design. Empty values stay empty.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)
