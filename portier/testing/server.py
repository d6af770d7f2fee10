"""Start the real `portier serve` in a subprocess for integration and browser tests."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def fresh_database_url():
    """A new empty database when DATABASE_URL names PostgreSQL; None (SQLite) otherwise."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg

    name = f"portier_it_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Served:
    base_url: str
    env: dict
    process: subprocess.Popen
    log_path: Path

    def portier(self, *args: str) -> str:
        """Run another `portier` command against the same data and database."""
        result = subprocess.run(
            [sys.executable, "-m", "portier.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Read the served instance's own database (what an operator's psql would show)."""
        database_url = self.env.get("DATABASE_URL")
        if database_url:
            import psycopg

            with psycopg.connect(database_url) as conn:
                return conn.execute(query.replace("?", "%s"), params).fetchall()
        import sqlite3

        path = Path(self.env["PORTIER_DATA_DIR"]) / "portier.sqlite3"
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute(query, params).fetchall()
        finally:
            conn.close()

    def wait_for(self, query: str, params: tuple = (), timeout: float = 20, until=bool):
        """Poll a query until `until(rows)` holds; returns (rows, seconds waited)."""
        started = time.monotonic()
        while True:
            rows = self.sql(query, params)
            if until(rows):
                return rows, time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise AssertionError(f"timed out waiting for {query!r}: {rows}\n{self.log()}")
            time.sleep(0.05)


@contextlib.contextmanager
def portier_serve(
    data_dir: Path,
    extra_env: dict | None = None,
    timeout: float = 60,
    *,
    unset_env: tuple[str, ...] = (),
    before: tuple[tuple[str, ...], ...] = (),
    serve_args: tuple[str, ...] = (),
):
    """`portier serve` on a free port. ``unset_env`` names variables the child must not
    inherit (a developer's GOOGLE_CLIENT_ID, say); ``before`` are `portier` commands run first
    with the same environment, as `make run` runs migrate and seeddemo (output in the log)."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with fresh_database_url() as database_url:
        env = {
            **os.environ,
            "PORTIER_DATA_DIR": str(data_dir),
            "PORTIER_BASE_URL": base_url,
            "PORTIER_QUEUE_NAME": f"portier_it_{uuid.uuid4().hex[:10]}",
            "HUEY_IMMEDIATE": "0",
            **(extra_env or {}),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        for name in unset_env:
            env.pop(name, None)
        if database_url:
            env["DATABASE_URL"] = database_url
        log_path = data_dir / "serve.log"
        with log_path.open("w") as log:
            for command in before:
                done = subprocess.run(
                    [sys.executable, "-m", "portier.cli", *command],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    timeout=120,
                )
                if done.returncode != 0:
                    raise AssertionError(f"portier {' '.join(command)}:\n{log_path.read_text()}")
            process = subprocess.Popen(
                [sys.executable, "-m", "portier.cli", "serve", *serve_args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        served = Served(base_url, env, process, log_path)
        try:
            _wait_until_up(served, timeout)
            yield served
        finally:
            stop(served)


def _wait_until_up(served: Served, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(f"portier serve exited early:\n{served.log()}")
        # A cold worker's first request can be slow on a busy machine: a timeout is "not yet".
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(served.base_url + "/accounts/login/", timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"portier serve did not answer within {timeout}s:\n{served.log()}")


def stop(served: Served, timeout: float = 30) -> int:
    """SIGTERM, as systemd or Ctrl-C would; kill the whole group only if it hangs."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
        try:
            served.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(served.process.pid, signal.SIGKILL)
            served.process.wait()
            raise AssertionError(
                f"portier serve did not stop on SIGTERM:\n{served.log()}"
            ) from None
    return served.process.returncode


def google_env(fake) -> dict:
    """The environment that points a served Portier at a Google simulator."""
    return fake.settings()


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url)
    assert page.status_code == 200, page.text[-3000:]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def login(base_url: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    token = csrf(session, base_url + "/accounts/login/")
    response = session.post(
        base_url + "/accounts/login/",
        data={"username": email, "password": password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
    )
    assert response.status_code == 302
    return session


def connect_google_host(served: Served, fake, email: str, password: str) -> dict:
    """createcompany, a location as the admin's primary one, then Connect Google through the
    real views and the simulator's consent. Returns the admin's API headers."""
    output = served.portier(
        "createcompany", "--name", "Acme", "--admin-email", email, "--password", password
    )
    token = re.search(r"API token: (\S+)", output).group(1)
    api = {"Authorization": f"Bearer {token}"}
    location = requests.post(
        served.base_url + "/api/v1/locations",
        json={"name": "HQ", "address": "Street 1, Berlin", "code": "HQ"},
        headers=api,
    ).json()
    requests.patch(
        served.base_url + "/api/v1/me", json={"primary_location_id": location["id"]}, headers=api
    ).raise_for_status()
    session = login(served.base_url, email, password)
    response = session.post(
        served.base_url + "/integrations/google/connect/",
        data={"csrfmiddlewaretoken": csrf(session, served.base_url + "/integrations/")},
        allow_redirects=False,
    )
    page = session.get(fake.approve_url(response.headers["Location"], account=email))
    assert "is connected" in page.text, page.text[:2000]
    return api
