"""The outbox of guest e-mails. (Placeholder until the invitations issue lands.)"""


def appointment_changed(*, appointment, change) -> None:
    """Called inside the transaction of every appointment change: write outbox rows here."""
