"""The channel token's HMAC next to its ciphertext: the webhook compares the digest instead of
decrypting the token on every push (portier/integrations/push.py). Existing channels get theirs
here; a later change of SECRET_KEY is healed by the webhook (it then decrypts once)."""

from cryptography.fernet import InvalidToken
from django.db import migrations, models
from django.db.models.functions import Cast

from portier.integrations.models import channel_token_digest
from portier.lib import crypto


def fill_digests(apps, schema_editor):
    Calendar = apps.get_model("integrations", "Calendar")
    # The ciphertext as stored, decrypted here: a token no key decrypts (a key removed too
    # early) is left without a digest instead of stopping the migration; its pushes are then
    # checked as before, and fail as before.
    rows = Calendar.objects.exclude(channel_token="").values_list(
        "pk", Cast("channel_token", models.TextField())
    )
    for pk, ciphertext in rows.iterator(chunk_size=500):
        try:
            token = crypto.decrypt(ciphertext)
        except InvalidToken:
            continue
        Calendar.objects.filter(pk=pk).update(channel_token_hmac=channel_token_digest(token))


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0005_push_lag"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendar",
            name="channel_token_hmac",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop, elidable=True),
    ]
