"""Every kind of e-mail in German and English; the guest page and the admins' previews."""

import html
import re

import pytest

from portier.invitations.previews import KINDS, render_sample
from portier.invitations.tests.helpers import GUESTS, parts, subject
from portier.invitations.tests.test_invitations import create

pytestmark = pytest.mark.django_db

PHRASES = {
    ("invitation", "en"): ("Invitation:", "invites you to a visit", "Next steps"),
    ("invitation", "de"): ("Einladung:", "lädt Sie zu einem Besuch ein", "Nächste Schritte"),
    ("update", "en"): ("Changed:", "What changed:", "Time"),
    ("update", "de"): ("Geändert:", "Was sich geändert hat:", "Zeit"),
    ("cancellation", "en"): ("Cancelled:", "is cancelled", ".ics"),
    ("cancellation", "de"): ("Abgesagt:", "ist abgesagt", ".ics"),
    ("series-invitation", "en"): ("Invitation to a series:", "every week", "The next dates:"),
    ("series-invitation", "de"): ("Einladung zu einer Terminreihe:", "jede Woche", "Die nächsten"),
    ("series-cancellation", "en"): ("Cancelled:", "with all its dates", "Cancelled dates:"),
    ("series-cancellation", "de"): ("Abgesagt:", "mit allen Terminen", "Abgesagte Termine:"),
}
DATES = {  # the one date-and-time format of the language (portier/formats), location's zone
    "en": r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d",
    "de": r"(Mo|Di|Mi|Do|Fr|Sa|So), \d{1,2}\. [A-Z][a-zä]{2} \d{4}, \d\d:\d\d",
}


@pytest.mark.parametrize("kind,language", sorted(PHRASES))
def test_every_kind_in_both_languages(alice, kind, language):
    rendered = render_sample(kind, language, company=alice.company, host=alice)
    subject_phrase, body_phrase, other_phrase = PHRASES[kind, language]
    assert rendered["subject"].startswith(subject_phrase)
    for body in (rendered["text"], rendered["html"]):
        assert body_phrase in body and other_phrase in body
    assert re.search(DATES[language], rendered["text"]), rendered["text"]
    if language == "de":
        english = PHRASES[kind, "en"][1]
        assert english not in rendered["text"]


def test_the_company_language_or_the_location_language_is_used(
    bob, acme, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    acme.language = "de"
    acme.save()
    with django_capture_on_commit_callbacks(execute=True):
        create(bob, acme_hq, guests=GUESTS[:1])
    acme_hq.language = "en"
    acme_hq.save()
    with django_capture_on_commit_callbacks(execute=True):
        create(bob, acme_hq, guests=GUESTS[1:2])
    german, english = smtp_sink.messages
    assert subject(german).startswith("Einladung:")
    text = parts(german)[0]
    assert "Dauer: 1 Stunde" in text and "Europe/Berlin" in text
    assert subject(english).startswith("Invitation:")


def test_the_guest_language_wins(bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks):
    appointment = create(bob, acme_hq, guests=GUESTS[:1])
    appointment.guests.update(language="de")
    from portier.outbox import delivery

    delivery.deliver_due()
    assert subject(smtp_sink.messages[0]).startswith("Einladung:")


def test_admins_preview_every_kind_in_both_languages(alice_client, bob_client):
    page = alice_client.get("/administration/emails/")
    assert page.status_code == 200
    for kind, _name in KINDS:
        for language in ("en", "de"):
            url = f"/administration/emails/{kind}/{language}/"
            assert url in page.content.decode()
            response = alice_client.get(url)
            assert response.status_code == 200
            assert "srcdoc=" in response.content.decode()
    assert alice_client.get("/administration/emails/nonsense/en/").status_code == 404
    assert bob_client.get("/administration/emails/").status_code == 403
    assert bob_client.get("/administration/emails/invitation/en/").status_code == 403


def test_carol_previews_with_her_own_company(carol_client):
    response = carol_client.get("/administration/emails/invitation/en/")
    assert response.status_code == 200
    assert "Globex" in response.content.decode() and "Acme" not in response.content.decode()


def test_the_integrations_page_advises_not_to_let_google_send_invitations(bob_client):
    page = html.unescape(bob_client.get("/integrations/").content.decode())
    assert "choose “Don't send”. Portier invites them itself" in page
