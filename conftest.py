"""Shared pytest fixtures live in portier/testing/fixtures.py; this file only loads them."""

pytest_plugins = [
    "portier.testing.fixtures",
    "portier.testing.smtp_fixtures",
    "portier.testing.sync_fixtures",
]
