"""The outbox row moves from `invitations` to `outbox` without touching the database: the model
keeps its table (`invitations_notification`), its index and every row; only Django's record of
which app owns it changes (here the state gains it, invitations 0005 drops it). The content type
moves with it, so permissions given on it stay attached."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def move_content_type(apps, schema_editor, *, old="invitations", new="outbox"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="notification").exists():
        ContentType.objects.using(db).filter(app_label=old, model="notification").update(
            app_label=new
        )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="outbox", new="invitations")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("companies", "0001_initial"),
        ("visits", "0001_initial"),
        ("invitations", "0004_arrival_and_declined_notices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=20)),
                        ("key", models.CharField(max_length=400, unique=True)),
                        ("lane", models.CharField(db_index=True, max_length=400)),
                        ("recipient", models.EmailField(max_length=320)),
                        ("version", models.PositiveIntegerField(default=0)),
                        ("sent_version", models.PositiveIntegerField(blank=True, null=True)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        ("status", models.CharField(choices=[("queued", "queued"), ("sending", "sending"), ("sent", "sent"), ("failed", "failed"), ("skipped", "skipped")], default="queued", max_length=10)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("message_id", models.CharField(max_length=300, unique=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("created", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated", models.DateTimeField(auto_now=True)),
                        ("appointment", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="visits.appointment")),
                        ("company", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="companies.company")),
                        ("guest", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="visits.guest")),
                        ("series", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="visits.series")),
                    ],
                    options={
                        "verbose_name": "guest e-mail",
                        "verbose_name_plural": "guest e-mails",
                        "db_table": "invitations_notification",
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="invitations_status_b718ef_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
