"""The data dir and its SQLite files (password hashes, guest data) are private to Portier's
user: dir 0700, files 0600, also the -wal/-shm files SQLite makes next to them."""

import os
import subprocess
import sys

import pytest

# Opens both databases in WAL mode and, while they are open, lists the modes of everything in
# the data dir (the -wal/-shm files exist only while a connection is open).
PROBE = """
import os, json
os.umask(0o022)  # the usual default: files 0644, directories 0755
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", interactive=False, verbosity=0)
from huey.contrib.djhuey import HUEY
HUEY.put("probe", 1)
connection.cursor().execute("SELECT count(*) FROM accounts_user")
data_dir = os.environ["PORTIER_DATA_DIR"]
print(json.dumps({
    name: oct(os.stat(os.path.join(data_dir, name)).st_mode & 0o777)
    for name in sorted(os.listdir(data_dir)) + ["."]
}))
"""


def modes_after_start(data_dir, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "portier.settings",
            "PORTIER_DATA_DIR": str(data_dir),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite files only")
def test_a_fresh_data_dir_and_its_databases_are_private(tmp_path):
    data_dir = tmp_path / "data"
    modes = modes_after_start(data_dir)
    assert modes["."] == "0o700"
    for name in ("portier.sqlite3", "portier.sqlite3-wal", "portier.sqlite3-shm"):
        assert modes[name] == "0o600", (name, modes)
    for name in ("queue.sqlite3", "secret_key", "encryption_keys"):
        assert modes[name] == "0o600", (name, modes)
    assert not [n for n, m in modes.items() if n.startswith("queue") and m != "0o600"], modes


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite files only")
def test_an_existing_world_readable_data_dir_is_made_private(tmp_path):
    data_dir = tmp_path / "data"
    modes_after_start(data_dir)
    data_dir.chmod(0o755)
    for name in ("portier.sqlite3", "queue.sqlite3"):
        (data_dir / name).chmod(0o644)
    modes = modes_after_start(data_dir)
    assert modes["."] == "0o700"
    assert modes["portier.sqlite3"] == modes["queue.sqlite3"] == "0o600"
    assert modes["portier.sqlite3-wal"] == "0o600"
