"""pytest fixtures shared by every app's tests."""

import uuid

import pytest
from django.test import Client

from portier.companies.models import Role
from portier.testing.factories import PASSWORD, CompanyFactory, LocationFactory, make_member


@pytest.fixture(autouse=True)
def _huey_immediate(settings):
    """Tasks run inline in unit tests; the integration tests start a real consumer."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and request budgets live in the cache: none leak between tests.
    A process-local cache is cleared; a shared one (Redis) gets a key prefix of its own for the
    test instead, since clearing it would flush a database others may use."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()
        yield
        cache.clear()
        return
    base = cache.key_prefix
    cache.key_prefix = f"{base}:test-{uuid.uuid4().hex}"
    try:
        yield
    finally:
        cache.key_prefix = base


@pytest.fixture
def acme(db):
    return CompanyFactory(name="Acme", slug="acme", internal_domains=["acme.example"])


@pytest.fixture
def globex(db):
    return CompanyFactory(name="Globex", slug="globex", internal_domains=["globex.example"])


@pytest.fixture
def acme_hq(acme):
    return LocationFactory(company=acme, name="Acme HQ", code="ANHQ")


@pytest.fixture
def globex_office(globex):
    return LocationFactory(company=globex, name="Globex Office", code="GLOB")


@pytest.fixture
def alice(acme, acme_hq):
    return make_member(
        acme, email="alice@acme.example", name="Alice", role=Role.ADMIN, primary_location=acme_hq
    )


@pytest.fixture
def bob(acme):
    return make_member(acme, email="bob@acme.example", name="Bob", role=Role.HOST)


@pytest.fixture
def rita(acme):
    """Reception at Acme: works the front desk of every Acme location (none chosen)."""
    return make_member(acme, email="rita@acme.example", name="Rita", role=Role.RECEPTION)


@pytest.fixture
def carol(globex, globex_office):
    return make_member(
        globex,
        email="carol@globex.example",
        name="Carol",
        role=Role.ADMIN,
        primary_location=globex_office,
    )


def _client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.email, password=PASSWORD)
    return client


@pytest.fixture
def alice_client(alice):
    return _client_for(alice)


@pytest.fixture
def bob_client(bob):
    return _client_for(bob)


@pytest.fixture
def rita_client(rita):
    return _client_for(rita)


@pytest.fixture
def carol_client(carol):
    return _client_for(carol)


@pytest.fixture
def api_token():
    """api_token(user) -> headers for the JSON API."""
    from portier.accounts.models import ApiToken

    def make(user):
        _token, raw = ApiToken.issue(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


def point_settings_at(settings, fake) -> None:
    """Portier's Google settings aimed at a fake, as the environment would set them."""
    for name, value in fake.settings().items():
        setattr(settings, name, value)


@pytest.fixture
def google_fake(settings):
    """The loopback Google, with Portier's settings pointing at it."""
    from portier.sources.google.simulator import FakeGoogle

    fake = FakeGoogle().start()
    point_settings_at(settings, fake)
    yield fake
    fake.stop()
