"""Shared pytest fixtures live in portier/testing/fixtures.py; this file only loads them."""

pytest_plugins = [
    "portier.testing.fixtures",
    "portier.testing.smtp_fixtures",
    "portier.testing.sync_fixtures",
]


def pytest_configure(config):
    """The test settings register one more calendar source, a test-only in-memory one: a new
    source is one registry line (docs/architecture.md), and the contract suite runs on it."""
    from django.conf import settings

    # Production's PBKDF2 costs about a third of a second per hash, and nearly every test makes
    # users or logs in: in this process a fast hasher (servers started by tests keep the real one).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PORTIER_SOURCES = {
        **settings.PORTIER_SOURCES,
        "memory": "portier.testing.memory_source.SOURCE",
    }
