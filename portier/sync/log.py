from portier.sync import reasons
from portier.sync.models import Action, SyncLogEntry


def record(
    *, calendar, action: str, remote_id="", title="", code="", params=None, appointment=None
):
    """Append to the event's sync log; code and params say why (portier.sync.reasons), so the
    sentence is made in the reader's language. Repeats of the latest entry (same action and
    reason) are dropped, so a re-sync does not fill the log with 'ignored' lines."""
    params = params or {}
    if action in (Action.IGNORED, Action.HELD, Action.ERROR):
        latest = (
            SyncLogEntry.objects.filter(calendar=calendar, remote_id=remote_id)
            .values_list("action", "code", "params")
            .first()
        )
        if latest == (action, code, params):
            return None
    return SyncLogEntry.objects.create(
        company_id=calendar.connection.company_id,
        calendar=calendar,
        appointment=appointment,
        remote_id=remote_id,
        title=(title or "")[:300],
        action=action,
        code=code,
        params=params,
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
