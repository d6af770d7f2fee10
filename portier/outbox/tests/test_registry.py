"""The planner registry: each kind's owner says at send time what to send, or why not."""

import pytest
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from portier.outbox import delivery, registry, services
from portier.outbox.models import Notification, Status
from portier.outbox.registry import Message, Skip

pytestmark = pytest.mark.django_db

TEST_KIND = "test-note"
said = {"text": "hello", "skip": ""}


def plan_note(row) -> Message | Skip:
    if said["skip"]:
        return Skip(said["skip"])
    return Message(
        to=[row.recipient],
        subject="A note",
        text=said["text"],
        html="<p>hello</p>",
        headers={"Auto-Submitted": "auto-generated"},
        attachments=[("note.txt", "attached", "text/plain")],
        data={"said": said["text"]},
    )


registry.register(TEST_KIND, plan_note, label="test note")


@pytest.fixture(autouse=True)
def _reset():
    said.update(text="hello", skip="")


def _write(company, key="note:1", **fields):
    return services.write(
        key, kind=TEST_KIND, company=company, lane="t:x", recipient="x@example.org", **fields
    )


def test_every_kind_of_the_product_is_registered_by_its_app():
    assert {
        "invitation",
        "update",
        "cancellation",
        "series-invitation",
        "series-cancellation",
        "host-invalid-code",
        "host-reconnect",
        "colleague-invite",
        "host-arrival",
        "host-declined",
    } <= registry.kinds()


def test_a_planned_message_goes_out_with_the_rows_message_id(acme, smtp_sink):
    row = _write(acme)
    assert _write(acme) is None  # the same key again writes nothing
    assert delivery.deliver_due().sent == 1
    (message,) = smtp_sink.messages
    assert message["Message-ID"] == row.message_id
    assert message["Subject"] == "A note"
    assert [p.get_filename() for p in message.iter_attachments()] == ["note.txt"]
    row.refresh_from_db()
    assert (row.status, row.data, row.kind_label) == (Status.SENT, {"said": "hello"}, "test note")


def test_a_skip_is_recorded_on_the_row_and_nothing_is_sent(acme, smtp_sink):
    said["skip"] = "no longer true"
    row = _write(acme)
    assert delivery.deliver_due().skipped == 1
    row.refresh_from_db()
    assert (row.status, row.last_error) == (Status.SKIPPED, "no longer true")
    assert smtp_sink.messages == []


def test_a_kind_nobody_registered_is_skipped_with_the_reason(acme, smtp_sink):
    row = services.write(
        "orphan:1", kind="gone-kind", company=acme, lane="t:y", recipient="y@example.org"
    )
    delivery.deliver_due()
    row.refresh_from_db()
    assert (row.status, row.last_error) == (
        Status.SKIPPED,
        "no planner registered for kind gone-kind",
    )


def test_a_kind_has_one_planner():
    registry.register(TEST_KIND, plan_note)  # again, the same: harmless
    with pytest.raises(ValueError, match="already has a planner"):
        registry.register(TEST_KIND, lambda row: Skip("other"))
    with pytest.raises(ValueError, match="longer than the column"):
        registry.register("x" * 21, plan_note)


def test_writing_wakes_the_worker_once_after_commit(acme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        _write(acme, "note:a", wake=False)
        _write(acme, "note:b", wake=False)
        services.wake_after_commit()
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        _write(acme, "note:c")
        _write(acme, "note:c")  # not new: no wake-up
    assert len(callbacks) == 1


@pytest.mark.parametrize("name", ["deliver_outbox", "sweep_outbox"])
def test_a_task_queued_under_its_old_name_still_runs(name, acme, smtp_sink):
    """Queued by the version before the outbox moved (`portier.invitations.tasks`), read by
    this one: the worker (which loads every app's tasks.py, as `run_huey` does) knows the
    name and delivers."""
    autodiscover_modules("tasks")
    _write(acme)
    task_class = HUEY._registry.string_to_task(f"portier.invitations.tasks.{name}")
    task_class().execute()
    assert Notification.objects.get().status == Status.SENT
