"""The invitation to join a company, e-mailed to a new colleague through the outbox, with a
link to choose a password made when it goes out (the one-time token is never stored)."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portier.accounts.models import User
from portier.lib.mail import absolute_url
from portier.outbox import notices
from portier.outbox.registry import Message, Skip

COLLEAGUE_INVITE = "colleague-invite"


def invite(*, company, invited_by, user) -> None:
    notices.write(
        kind=COLLEAGUE_INVITE,
        key=f"colleague-invite:{user.pk}",
        company=company,
        recipient=user.email,
        data={
            "template": "colleague-invite",
            "language": company.language,
            "user_id": user.pk,
            "context": {
                "user": {"email": user.email, "name": user.name},
                "company": {"name": company.name},
                "invited_by": {"name": invited_by.name, "email": invited_by.email},
            },
        },
    )


def _password_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def plan_invite(row) -> Message | Skip:
    """The outbox's planner for COLLEAGUE_INVITE (registered in apps.py)."""
    user = User.objects.filter(pk=row.data.get("user_id")).first()
    if user is None or not user.is_active or user.has_usable_password():
        return Skip("the colleague already chose a password (or left)")
    return notices.message(row, link=_password_link(user))
