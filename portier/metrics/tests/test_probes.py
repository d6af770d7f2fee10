"""/healthz, /readyz and /metrics: who may read them, and what they say when parts are down."""

import pytest
from huey import RedisHuey, SqliteHuey
from huey.contrib import djhuey

from portier.testing.server import free_port

TOKEN = "metrics-token-for-tests-0123456789"


def test_healthz_answers_without_the_database(client):
    # No `db` fixture: a query here would raise, so this proves the probe touches no database.
    response = client.get("/healthz", HTTP_HOST="10.1.2.3")  # a balancer asks by address
    assert response.status_code == 200 and response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_is_200_when_database_and_queue_answer(client, settings):
    settings.PORTIER_BASE_URL = "https://portier.acme.example"
    settings.SECURE_SSL_REDIRECT = True  # a probe over plain http is answered, not redirected
    response = client.get("/readyz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    assert response.content == b"database ok\nqueue ok\n"


@pytest.mark.django_db
def test_readyz_is_503_when_the_redis_queue_is_down(client, monkeypatch):
    # A real Redis client pointed at a loopback port nobody listens on.
    down = RedisHuey("readyz-test", url=f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setattr(djhuey, "HUEY", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"database ok\nqueue unreachable\n"


@pytest.mark.django_db
def test_readyz_is_503_when_the_sqlite_queue_cannot_be_opened(client, monkeypatch, tmp_path):
    path = tmp_path / "queue.sqlite3"
    queue = SqliteHuey("readyz-test", filename=str(path))
    queue.storage.close()
    # The queue file's place is taken by a directory: SQLite cannot open it again.
    path.unlink()
    path.mkdir()
    monkeypatch.setattr(djhuey, "HUEY", queue)
    assert client.get("/readyz").status_code == 503


def test_an_unreachable_postgresql_is_not_ready():
    """The same probe with a real PostgreSQL client pointed at a loopback port nobody serves."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    from portier.metrics.probes import database_reachable

    down = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.postgresql", "NAME": "portier", "USER": "portier",
            "PASSWORD": "", "HOST": "127.0.0.1", "PORT": str(free_port()), "OPTIONS": {},
            "TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {},
        },
        alias="readyz-down",
    )  # fmt: skip
    assert database_reachable(down) is False


def test_metrics_are_off_without_a_token(client, settings):
    settings.PORTIER_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_metrics_need_the_token(client, carol_client, settings):
    settings.PORTIER_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed").status_code == 404
    # A logged-in user of some company is an outsider here too.
    assert carol_client.get("/metrics").status_code == 404
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert response["Cache-Control"] == "no-store"


def test_other_paths_and_methods_pass_through(client, settings):
    settings.PORTIER_METRICS_TOKEN = TOKEN
    response = client.post("/healthz")
    assert response.status_code == 404  # no URL of the app: only GET/HEAD are the probe's
