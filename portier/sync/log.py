from portier.lib import batch
from portier.sync import reasons
from portier.sync.models import Action, SyncLogEntry


def record(
    *, calendar, action: str, remote_id="", title="", code="", params=None, appointment=None
):
    """Append to the event's sync log; code and params say why (portier.sync.reasons), so the
    sentence is made in the reader's language. Repeats of the latest entry (same action and
    reason) are dropped, so a re-sync does not fill the log with 'ignored' lines."""
    params = params or {}
    repeatable = action in (Action.IGNORED, Action.HELD, Action.ERROR)
    if repeatable and _latest(calendar, remote_id) == (action, code, params):
        return None
    entry = SyncLogEntry(
        company_id=calendar.connection.company_id,
        calendar=calendar,
        appointment=appointment,
        remote_id=remote_id,
        title=(title or "")[:300],
        action=action,
        code=code,
        params=params,
    )
    batch.defer(_insert, entry)  # a sync's page writes its lines in one statement
    return entry


def _insert(entries: list[SyncLogEntry]) -> None:
    SyncLogEntry.objects.bulk_create(entries)


def _latest(calendar, remote_id: str) -> tuple | None:
    for entry in reversed(batch.waiting(_insert)):
        if entry.calendar_id == calendar.pk and entry.remote_id == remote_id:
            return (entry.action, entry.code, entry.params)
    return (
        SyncLogEntry.objects.filter(calendar=calendar, remote_id=remote_id)
        .values_list("action", "code", "params")
        .first()
    )


def record_emails(calendar, remote_id, appointment, change) -> None:
    """One line per kind of guest e-mail a change queued (invited, updated, cancelled)."""
    emails = change.extra.get("emails") or {}
    for kind, code in (
        ("invited", reasons.INVITED),
        ("updated", reasons.UPDATE_SENT),
        ("cancelled", reasons.CANCELLATION_SENT),
    ):
        if emails.get(kind):
            record(
                calendar=calendar,
                action=Action.EMAILED,
                remote_id=remote_id,
                title=appointment.title,
                code=code,
                params={"count": emails[kind]},
                appointment=appointment,
            )
