"""The real `portier serve` on a free port with an empty data dir, driven over HTTP."""

import os
import re
import subprocess
import sys

import pytest
import requests

from portier.testing.server import portier_serve, stop

pytestmark = pytest.mark.slow


def login(base_url: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base_url + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        base_url + "/accounts/login/",
        data={"username": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base_url + "/accounts/login/"},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def test_serve_createcompany_login_api_and_clean_stop(tmp_path):
    with portier_serve(tmp_path) as served:
        output = served.portier(
            "createcompany",
            "--name", "Initech",
            "--admin-email", "boss@initech.example",
            "--password", "a-good-long-password",
        )  # fmt: skip
        login_url = re.search(r"Login:\s+(\S+)", output).group(1)
        token = re.search(r"API token: (\S+)", output).group(1)
        assert login_url == served.base_url + "/accounts/login/"

        session = login(served.base_url, "boss@initech.example", "a-good-long-password")
        home = session.get(served.base_url + "/")
        assert home.status_code == 200 and "boss@initech.example" in home.text
        css = session.get(served.base_url + "/static/portier/portier.css")
        assert css.status_code == 200 and "--accent" in css.text

        me = requests.get(
            served.base_url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert me.status_code == 200
        assert me.json()["company_name"] == "Initech" and me.json()["role"] == "admin"

        assert (tmp_path / "secret_key").exists() and (tmp_path / "encryption_keys").exists()
        assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
        returncode = stop(served)
    assert returncode == 0, served.log()
    log = served.log()
    assert "Booting worker" in log  # gunicorn ran
    assert "Huey consumer started" in log or "huey" in log.lower()


def test_make_run_sequence_seeds_the_demo_once(tmp_path):
    """What `make run` does: migrate, seeddemo (idempotent), serve; the demo logins work."""
    with portier_serve(tmp_path) as served:
        first = served.portier("seeddemo")
        second = served.portier("seeddemo")
        assert "Seeded the demo company" in first
        assert "Seeded" not in second and "host@demo.example" in second
        session = login(served.base_url, "host@demo.example", "portier-demo")
        assert session.get(served.base_url + "/integrations/").status_code == 200


def test_a_bad_setting_stops_startup_naming_the_variable(tmp_path):
    env = {
        **os.environ,
        "PORTIER_DATA_DIR": str(tmp_path),
        "PORTIER_BASE_URL": "ftp://nowhere",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "portier.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "PORTIER_BASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
