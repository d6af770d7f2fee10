"""Bring the database up to date before a management command uses it."""

import sys

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def migrate_if_needed(stderr=sys.stderr) -> int:
    """Apply missing migrations (an empty data dir has none applied); says so on ``stderr``,
    keeping stdout for the command's own output. Returns how many were applied."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        stderr.write(f"Migrating the database first ({len(plan)} migrations)...\n")
        call_command("migrate", interactive=False, verbosity=0)
    return len(plan)
