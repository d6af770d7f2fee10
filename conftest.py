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

    settings.PORTIER_SOURCES = {
        **settings.PORTIER_SOURCES,
        "memory": "portier.testing.memory_source.SOURCE",
    }
