"""The sandbox story once more with Microsoft: `make run` without any account, then connect the
sandbox Microsoft (msal against the simulated identity platform over HTTPS, its consent page in
the browser), mark an event in the sandbox calendar's Outlook tab, and read the invitation, its
update and its cancellation, each pushed by a Graph subscription."""

import os
from datetime import datetime, timedelta

import pytest

from portier.testing.server import portier_serve
from tests.test_sandbox_story import (
    HOST,
    LOCAL,
    PASSWORD,
    browser,  # noqa: F401 - the fixture
    make_run_commands,
    sent_notifications,
    wait,
    wait_for_mails,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
GUEST = "gina.guest@initech.example"
TITLE = "Visit by Initech (Outlook)"
NOT_INHERITED = tuple(
    name
    for name in os.environ
    if name.startswith(("GOOGLE_", "MICROSOFT_", "PORTIER_SANDBOX", "EMAIL_"))
)


def test_a_newcomer_tries_the_story_with_microsoft(tmp_path, browser):  # noqa: F811
    commands = make_run_commands()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with portier_serve(
        data_dir,
        unset_env=NOT_INHERITED,
        before=tuple(tuple(c) for c in commands[:-1]),
        timeout=90,
    ) as served:
        base = served.base_url
        log = wait(lambda: "Sandbox mode" in served.log() and served.log(), what="first-run text")
        assert "Microsoft Outlook is simulated on http://127.0.0.1:" in log

        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.goto(base + "/")
        page.fill("#id_username", HOST)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        marker = page.locator("#marker-address").inner_text().strip()
        page.click("li[data-step=location] a")
        option = page.locator("#id_primary_location option", has_text="Hauptsitz Berlin")
        page.select_option("#id_primary_location", value=option.get_attribute("value"))
        page.click("main form button[type=submit]")

        # Connect the sandbox Microsoft: its consent page offers the host's own account only.
        page.goto(base + "/integrations/")
        page.click("#connect-microsoft")
        page.wait_for_selector("#approve")
        assert "Portier sandbox" in page.locator("#notice").inner_text()
        assert page.locator("#account").input_value() == HOST
        page.click("#approve")
        page.wait_for_url(base + "/integrations/")
        assert f"Microsoft Outlook {HOST} is connected." in page.content()
        served.wait_for(
            "SELECT synced_at FROM integrations_calendar c JOIN integrations_connection n "
            "ON c.connection_id = n.id WHERE n.provider = 'microsoft' AND c.synced_at IS NOT NULL",
            timeout=30,
        )
        # The subscription was validated by Portier's view (Graph's handshake).
        assert served.sql(
            "SELECT c.channel_resource_id FROM integrations_calendar c JOIN "
            "integrations_connection n ON c.connection_id = n.id "
            "WHERE n.provider = 'microsoft' AND c.channel_resource_id != ''"
        )

        # A marked event in the Outlook tab of the sandbox calendar: one invitation.
        page.goto(base + "/sandbox/calendar/")
        page.click("#tab-microsoft")
        page.fill("#id_title", TITLE)
        page.fill("#id_attendees", f"{GUEST}\n{marker}")
        start = datetime.strptime(page.locator("#id_start").input_value(), LOCAL)
        page.click("#event-form button[type=submit]")
        page.wait_for_selector(f"li[data-event] >> text={TITLE}")
        [(to, subject, _href)] = wait_for_mails(page, base, 1)
        assert to == GUEST and TITLE in subject
        assert sent_notifications(served) == [("invitation", GUEST)]

        # Moved by an hour: one update.
        page.goto(base + "/sandbox/calendar/?source=microsoft")
        page.click(f"li[data-event]:has-text('{TITLE}') >> text=Edit")
        page.fill("#id_start", (start + timedelta(hours=1)).strftime(LOCAL))
        page.fill("#id_end", (start + timedelta(hours=2)).strftime(LOCAL))
        page.click("#event-form button[type=submit]")
        rows = wait_for_mails(page, base, 2)
        assert (start + timedelta(hours=1)).strftime("%H:%M") in rows[0][1], rows[0][1]

        # Deleted: one cancellation.
        page.goto(base + "/sandbox/calendar/?source=microsoft")
        page.once("dialog", lambda dialog: dialog.accept())
        page.click(f"li[data-event]:has-text('{TITLE}') button:has-text('Delete')")
        page.wait_for_selector("text=The event is deleted from your sandbox calendar.")
        wait_for_mails(page, base, 3)
        assert sent_notifications(served) == [
            ("invitation", GUEST),
            ("update", GUEST),
            ("cancellation", GUEST),
        ]
        context.close()
