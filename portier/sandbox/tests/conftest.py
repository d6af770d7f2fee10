import pytest

from portier.testing.fakes.google import FakeGoogle

CONTROL_TOKEN = "test-control-token"


@pytest.fixture
def sandbox_google(settings):
    """The sandbox Google as `portier serve` runs it, with this process's settings pointing at
    it the way serve's environment points its children."""
    fake = FakeGoogle(
        settings.PORTIER_SANDBOX_CLIENT_ID, "sandbox-secret", control_token=CONTROL_TOKEN
    ).start()
    settings.PORTIER_SANDBOX = True
    settings.PORTIER_SANDBOX_GOOGLE_URL = fake.base_url
    settings.PORTIER_SANDBOX_CONTROL_TOKEN = CONTROL_TOKEN
    settings.GOOGLE_CLIENT_ID = fake.client_id
    settings.GOOGLE_CLIENT_SECRET = fake.client_secret
    settings.GOOGLE_AUTH_URI = fake.auth_uri
    settings.GOOGLE_TOKEN_URI = fake.token_uri
    settings.GOOGLE_REVOKE_URI = fake.revoke_uri
    settings.GOOGLE_API_URL = fake.api_url
    yield fake
    fake.stop()
