"""What a newcomer is told: in the terminal after start-up, and on the first page."""

import io
from pathlib import Path
from types import SimpleNamespace

from django.core.management import call_command
from django.urls import reverse

from portier.sandbox.guidance import first_run_text


def test_terminal_text_names_the_url_logins_sandbox_and_mail_viewer(db, settings):
    call_command("seeddemo", stdout=io.StringIO())
    text = first_run_text(SimpleNamespace(url="http://127.0.0.1:4321"))
    base = settings.PORTIER_BASE_URL
    assert f"Portier is ready: {base}/accounts/login/" in text
    for login in ("host@demo.example", "admin@demo.example", "reception@demo.example"):
        assert text.count(f"{login} / portier-demo") == 1
    assert "Sandbox mode" in text and "http://127.0.0.1:4321" in text
    assert f"{base}/sandbox/calendar/" in text and f"{base}/sandbox/mail/" in text


def test_terminal_text_without_demo_or_sandbox(db, settings):
    settings.PORTIER_SANDBOX = False
    text = first_run_text()
    assert "Portier is ready" in text
    assert "demo" not in text and "Sandbox" not in text


def test_terminal_text_with_smtp_in_sandbox_mode(db, settings):
    settings.EMAIL_HOST = "smtp.example.com"
    text = first_run_text()
    assert "smtp.example.com" in text and "/sandbox/mail/" not in text


def test_first_page_walks_through_the_steps(bob_client, bob, acme_hq, sandbox_google):
    page = bob_client.get(reverse("dashboard:home")).content.decode()
    for step in ("location", "connect", "mark", "mail"):
        assert f'data-step="{step}"' in page
    assert 'id="marker-address"' in page
    assert reverse("sandbox:calendar") in page and reverse("sandbox:mail") in page
    assert "no account needed" in page

    bob.primary_location = acme_hq
    bob.save()
    page = bob_client.get(reverse("dashboard:home")).content.decode()
    assert '<li class="done" data-step="location">' in page


def test_without_the_mail_catcher_there_is_no_mail_step(bob_client, settings):
    settings.EMAIL_HOST = "smtp.example.com"
    page = bob_client.get(reverse("dashboard:home")).content.decode()
    assert 'data-step="mark"' in page and 'data-step="mail"' not in page


def test_make_run_seeds_quietly_so_that_the_logins_are_printed_once(db):
    """`make run` runs `seeddemo --verbosity 0`, then serve prints first_run_text."""
    out = io.StringIO()
    call_command("seeddemo", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert "host@demo.example" in first_run_text()
    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    assert "portier seeddemo --verbosity 0" in makefile
