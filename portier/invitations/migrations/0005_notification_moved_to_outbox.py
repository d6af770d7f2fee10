"""The outbox row now belongs to the `outbox` app (its 0001 takes it over, table and rows
unchanged): only Django's record of the model leaves this app; nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("invitations", "0004_arrival_and_declined_notices"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
