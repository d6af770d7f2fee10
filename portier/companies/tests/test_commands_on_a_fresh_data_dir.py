"""The README's order for a real installation starts with `portier createcompany` on an empty
data dir: the commands that need the database bring it up to date first."""

import os
import subprocess
import sys

import pytest

from portier.testing.server import fresh_database_url


def portier(data_dir, database_url, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(PORTIER_DATA_DIR=str(data_dir), PORTIER_QUEUE_NAME="fresh-data-dir")
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "portier.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.parametrize(
    "command",
    [
        (
            "createcompany",
            "--name", "Initech",
            "--admin-email", "boss@initech.example",
            "--password", "a-good-long-password",
        ),
        ("seeddemo",),
        ("rotatekeys",),
    ],
    ids=["createcompany", "seeddemo", "rotatekeys"],
)  # fmt: skip
def test_a_command_that_needs_the_database_migrates_an_empty_one_first(tmp_path, command):
    with fresh_database_url() as database_url:
        done = portier(tmp_path / "data", database_url, *command)
        assert done.returncode == 0, done.stderr
        assert "no such table" not in done.stderr and "Traceback" not in done.stderr
        assert "migrat" in done.stderr.lower()  # it says what it did
        if command[0] == "createcompany":
            assert "API token: " in done.stdout
            again = portier(
                tmp_path / "data",
                database_url,
                "createcompany",
                *command[1:3],
                "--admin-email",
                "other@initech.example",
                "--password",
                "x" * 20,
            )
            # The second run finds the database up to date and says nothing about it.
            assert "migrat" not in again.stderr.lower()
