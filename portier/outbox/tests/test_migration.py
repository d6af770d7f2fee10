"""The outbox moved from `invitations` to its own app: from the previous schema, with rows in
it, forward and back again, no row is lost and each reads the same through either model."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from portier.invitations.tests.helpers import GUEST_EMAILS
from portier.invitations.tests.test_invitations import create
from portier.outbox import delivery
from portier.outbox.models import Notification, Status

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("invitations", "0004_arrival_and_declined_notices")  # main before the move


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader


def _to_previous_schema():
    """Back to the schema before the move; returns the historical apps of that schema."""
    loader = _migrate([BEFORE, ("outbox", None)])
    assert not any(app == "outbox" for app, _name in loader.applied_migrations)
    return loader.project_state([BEFORE]).apps


def _to_latest_schema():
    loader = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert ("outbox", "0001_initial") in loader.applied_migrations


def _snapshot(model) -> dict:
    return {row["id"]: row for row in model.objects.order_by("pk").values()}


def test_the_outbox_moves_to_its_own_app_without_losing_a_row(bob, acme_hq, smtp_sink):
    appointment = create(bob, acme_hq)  # three invitations, written by the services, sent
    guest = appointment.guests.get(email=GUEST_EMAILS[0])
    smtp_sink.clear()

    old_apps = _to_previous_schema()
    Old = old_apps.get_model("invitations", "Notification")
    assert Old.objects.filter(kind="invitation", status="sent").count() == 3
    # As if the upgrade came before they went out: queued.
    Old.objects.update(status="queued", sent_at=None, sent_version=None, attempts=0)
    now = timezone.now()
    common = {"company_id": bob.company.pk, "appointment_id": appointment.pk}
    for status, extra in (
        (Status.SENT, {"sent_at": now, "sent_version": 1, "attempts": 1}),
        (Status.FAILED, {"last_error": "550 5.1.1 no such user", "attempts": 1}),
        (Status.SKIPPED, {"last_error": "superseded"}),
        (Status.SENDING, {"claimed_at": now, "attempts": 1}),
    ):
        Old.objects.create(
            **common,
            kind="update",
            key=f"upd:{appointment.pk}:old-{status}@example.org:2",
            lane=f"a{appointment.pk}:old-{status}@example.org",
            recipient=f"old-{status}@example.org",
            guest_id=guest.pk,
            version=2,
            status=status,
            message_id=f"<portier.old-{status}@portier.example>",
            **extra,
        )
    Old.objects.create(  # a host notice, about a guest (retention erases it with them)
        **common,
        kind="host-arrival",
        key=f"arrival:{guest.pk}:{bob.pk}",
        lane=f"h:{bob.email}",
        recipient=bob.email,
        guest_id=guest.pk,
        data={"template": "guest-arrived", "language": "en", "visit_id": 0, "context": {}},
        message_id="<portier.old-arrival@portier.example>",
    )
    before = _snapshot(Old)
    assert len(before) == 8

    _to_latest_schema()
    after = _snapshot(Notification)
    assert after == before
    assert {r.status for r in Notification.objects.all()} == set(Status.values)
    notice = Notification.objects.get(kind="host-arrival")
    assert (notice.guest, notice.appointment, notice.company) == (guest, appointment, bob.company)
    assert notice.kind_label == "guest arrived (to the host)"

    # The new code sends what the old one queued (the host notice: its check-in does not exist).
    report = delivery.deliver_due()
    assert (report.sent, report.skipped) == (3, 1)
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    sent = _snapshot(Notification)

    old_apps = _to_previous_schema()  # and back: reversible, nothing lost either
    assert _snapshot(old_apps.get_model("invitations", "Notification")) == sent
    _to_latest_schema()
    assert _snapshot(Notification) == sent


def test_the_content_type_moves_with_the_model(bob):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    moved = ContentType.objects.get_for_model(Notification)
    _to_previous_schema()
    assert ContentType.objects.filter(pk=moved.pk, app_label="invitations").exists()
    _to_latest_schema()
    assert ContentType.objects.filter(pk=moved.pk, app_label="outbox").exists()
