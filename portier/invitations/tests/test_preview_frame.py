"""The admins' e-mail preview shows the whole HTML e-mail inside its frame. The rendered e-mail
is "safe" HTML for Django, so it used to go into srcdoc unescaped: the frame got the text up to
the first quote (an empty page) and the rest of the e-mail spilled into the admin page."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_preview_frame_holds_the_whole_escaped_email(alice_client):
    page = alice_client.get("/administration/emails/invitation/en/").content.decode()
    [srcdoc] = re.findall(r'<iframe[^>]*\ssrcdoc="([^"]*)"', page)
    email = html.unescape(srcdoc)
    assert email.lstrip().lower().startswith("<!doctype html>")
    assert email.rstrip().endswith("</html>")
    assert 'src="data:image/png;base64,' in email and "Acme" in email
    # Nothing of the e-mail outside the frame.
    outside = page.replace(srcdoc, "")
    assert 'role="presentation"' not in outside
