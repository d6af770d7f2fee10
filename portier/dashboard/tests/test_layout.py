"""The frame around every page: favicon, skip link, the administration menu. The pages themselves
at 390 px and under axe-core: tests/test_browser_every_page.py."""

import re

from django.urls import reverse

EMAIL_PREVIEWS = f'href="{reverse("emails:previews")}"'


def favicon_href(body: str) -> str:
    match = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', body)
    assert match, "no favicon link"
    return match.group(1)


def test_every_layout_links_a_favicon_that_is_served(client, bob_client):
    login = client.get(reverse("login")).content.decode()
    href = favicon_href(login)
    icon = client.get(href)
    assert icon.status_code == 200  # it used to be a 404 on every page
    assert b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])
    assert favicon_href(bob_client.get(reverse("visits:list")).content.decode()) == href
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert favicon_href(not_found.content.decode()) == href


def test_the_first_thing_on_a_page_is_a_skip_link_to_the_main_content(bob_client):
    body = bob_client.get(reverse("visits:list")).content.decode()
    after_body = body[body.index("<body>") + len("<body>") :].lstrip()
    assert after_body.startswith('<a class="skip-link" href="#main">Skip to content</a>')
    assert '<main id="main" tabindex="-1">' in body


def test_the_skip_link_speaks_german_too(bob_client, bob):
    bob.language = "de"
    bob.save()
    body = bob_client.get(reverse("visits:list")).content.decode()
    assert ">Zum Inhalt springen</a>" in body


def test_admins_reach_the_email_previews_from_the_navigation(alice_client, bob_client, rita_client):
    nav = alice_client.get(reverse("dashboard:home")).content.decode()
    assert EMAIL_PREVIEWS in nav
    assert alice_client.get(reverse("emails:previews")).status_code == 200
    for other in (bob_client, rita_client):
        assert EMAIL_PREVIEWS not in other.get(reverse("dashboard:home")).content.decode()


def test_the_login_card_is_centred(client):
    assert '<section class="card narrow centered">' in client.get(reverse("login")).content.decode()
