"""Shared set-up for benchmarks: a throw-away data dir and database, Django ready."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_with_fresh_database() -> Path:
    data_dir = Path(tempfile.mkdtemp(prefix="portier-bench-"))
    os.environ["PORTIER_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portier.settings")
    os.environ.setdefault("PORTIER_SYNC_DEBOUNCE_MS", "0")
    # Background work (e-mail delivery) is queued, not run: a benchmark measures one thing.
    os.environ["HUEY_IMMEDIATE"] = "0"
    os.environ["PORTIER_SANDBOX"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise SystemExit("benchmarks use their own SQLite database; unset DATABASE_URL")
    call_command("migrate", verbosity=0)
    return data_dir
