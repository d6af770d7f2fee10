"""Test helpers around the Google fake: connect a host without a browser."""

from datetime import UTC, datetime, timedelta

from portier.integrations import services
from portier.sources.base import Tokens


def connect_google(user, fake, account: str | None = None):
    """What the OAuth callback does, with tokens the fake issues directly."""
    account = account or user.email
    response = fake.issue_tokens(
        account,
        scopes=(
            "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
            "https://www.googleapis.com/auth/calendar.events.readonly",
        ),
    )
    tokens = Tokens(
        refresh_token=response["refresh_token"],
        access_token=response["access_token"],
        expires_at=datetime.now(UTC) + timedelta(seconds=int(response["expires_in"])),
        scopes=tuple(response["scope"].split()),
    )
    return services.connect_with_tokens(user=user, slug="google", tokens=tokens)
