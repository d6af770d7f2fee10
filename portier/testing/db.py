"""Database helpers for tests."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back():
    """Everything written inside is undone, however the block ends: one database state per
    hypothesis example inside one test."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
