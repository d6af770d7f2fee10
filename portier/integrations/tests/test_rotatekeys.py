from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from portier.integrations.management.commands.rotatekeys import encrypted_fields
from portier.integrations.models import Calendar, Connection

pytestmark = pytest.mark.django_db


def test_rotatekeys_finds_every_encrypted_field_by_its_class():
    found = {model: set(fields) for model, fields in encrypted_fields()}
    assert found == {
        Connection: {"refresh_token", "access_token"},
        Calendar: {"channel_token"},
    }


def test_rotatekeys_reencrypts_channel_tokens_too(bob_google, settings):
    calendar = bob_google.calendars.get(is_primary=True)
    Calendar.objects.filter(pk=calendar.pk).update(channel_token="s3cret")
    settings.PORTIER_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.PORTIER_ENCRYPTION_KEYS,
    ]
    out = StringIO()
    call_command("rotatekeys", stdout=out)
    settings.PORTIER_ENCRYPTION_KEYS = settings.PORTIER_ENCRYPTION_KEYS[:1]  # the old key goes
    assert Calendar.objects.get(pk=calendar.pk).channel_token == "s3cret"
    assert "1 connection(s)" in out.getvalue() and "calendar(s)" in out.getvalue()
