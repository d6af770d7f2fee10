"""Templated notices (to hosts, colleagues: not guests): a row whose data holds the template
name, the language and the context, rendered when it goes out. The owning app writes it with
`write` and registers a planner that checks the notice is still true, then returns `message`.
"""

from portier.lib.mail import render_mail
from portier.outbox import services
from portier.outbox.models import Notification
from portier.outbox.registry import Message


def write(
    *, kind, key, company, recipient, data, appointment=None, guest=None
) -> Notification | None:
    """Queue one notice; a second call with the same key writes nothing. `data`: template,
    language, context and whatever the planner checks. `guest`: the guest it is about
    (retention erases the row's personal data with the guest's)."""
    return services.write(
        key,
        kind=kind,
        company=company,
        lane=f"h:{recipient}",
        recipient=recipient,
        appointment=appointment,
        guest=guest,
        data=data,
    )


def message(row, **context) -> Message:
    """The notice as its data describes it; `context`: what is made only at send time (a
    one-time link is never stored in the outbox)."""
    subject, text, html = render_mail(
        row.data["template"], {**row.data["context"], **context}, row.data["language"]
    )
    return Message(
        to=[row.recipient],
        subject=subject,
        text=text,
        html=html,
        headers={"Auto-Submitted": "auto-generated"},
    )
