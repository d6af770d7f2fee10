"""Shared set-up for benchmarks: a throw-away data dir and database, Django ready.

SQLite by default; with DATABASE_URL (PostgreSQL) a fresh database is made on that server
and dropped at exit, so a benchmark never touches data it did not make.
"""

import atexit
import os
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def _fresh_postgres(url: str) -> str:
    import psycopg

    name = f"portier_bench_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    atexit.register(drop)
    return urlunsplit(parts._replace(path=f"/{name}"))


def django_with_fresh_database() -> Path:
    data_dir = Path(tempfile.mkdtemp(prefix="portier-bench-"))
    os.environ["PORTIER_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portier.settings")
    # Background work (e-mail delivery) is queued, not run: a benchmark measures one thing.
    os.environ["HUEY_IMMEDIATE"] = "0"
    os.environ["PORTIER_SANDBOX"] = "false"
    os.environ["PORTIER_QUEUE_NAME"] = f"portier_bench_{uuid.uuid4().hex[:10]}"
    if os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = _fresh_postgres(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir
