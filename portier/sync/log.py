from portier.sync.models import Action, SyncLogEntry


def record(*, calendar, action: str, remote_id="", title="", reason="", appointment=None):
    """Append to the event's sync log. Repeats of the latest entry (same action and reason)
    are dropped, so a re-sync does not fill the log with 'ignored' lines."""
    if action in (Action.IGNORED, Action.HELD, Action.ERROR):
        latest = (
            SyncLogEntry.objects.filter(calendar=calendar, remote_id=remote_id)
            .values_list("action", "reason")
            .first()
        )
        if latest == (action, reason):
            return None
    return SyncLogEntry.objects.create(
        company_id=calendar.connection.company_id,
        calendar=calendar,
        appointment=appointment,
        remote_id=remote_id,
        title=(title or "")[:300],
        action=action,
        reason=reason[:500],
    )
