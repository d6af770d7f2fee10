"""The newcomer's story in a real browser: `make run` on a laptop without Google or a mail
server, then connect the sandbox Google, mark an event, watch the invitation, its update and its
cancellation arrive. Everything is real (the commands of `make run`, gunicorn, the Huey consumer,
the sandbox Google inside serve pushing to Portier) except Google, which is the sandbox's.

The README's screenshots come from here: `make screenshots` runs this test with
PORTIER_SCREENSHOT_DIR=docs/screenshots; otherwise they go to the test's temporary directory.
"""

import os
import re
import shlex
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from portier.testing.server import portier_serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
HOST, PASSWORD = "host@demo.example", "portier-demo"
GUEST, COLLEAGUE = "gina.guest@initech.example", "colin@demo.example"
TITLE = "Visit by Initech"
# Whatever could turn the sandbox off or send mail for real must not reach the child.
NOT_INHERITED = tuple(
    name
    for name in os.environ
    if name.startswith(("GOOGLE_", "MICROSOFT_", "PORTIER_SANDBOX", "EMAIL_"))
)
LOCAL = "%Y-%m-%dT%H:%M"


def make_run_commands() -> list[list[str]]:
    """The `portier` commands of the Makefile's run target, in order."""
    recipe, inside = [], False
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("run:"):
            inside = True
        elif inside and line.startswith("\t"):
            words = shlex.split(line.strip())
            if words[0] == "$(BIN)/portier":
                recipe.append(words[1:])
        elif inside:
            break
    return recipe


def wait(condition, timeout=40.0, interval=0.3, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


@pytest.fixture
def screenshot_dir(tmp_path):
    path = Path(os.environ.get("PORTIER_SCREENSHOT_DIR") or tmp_path / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium when it can")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


def mail_rows(page, base_url):
    """(recipient, subject, href) of every caught e-mail, newest first, as the viewer lists them."""
    page.goto(base_url + "/sandbox/mail/")
    rows = page.locator("tr[data-mail]")
    return [
        (
            rows.nth(i).get_attribute("data-to"),
            rows.nth(i).locator("a.subject").inner_text(),
            rows.nth(i).locator("a.subject").get_attribute("href"),
        )
        for i in range(rows.count())
    ]


def wait_for_mails(page, base_url, count):
    rows = wait(
        lambda: (r := mail_rows(page, base_url)) and len(r) >= count and r,
        what=f"{count} e-mails in the mail viewer",
    )
    time.sleep(1.5)  # anything sent twice would show up now
    rows = mail_rows(page, base_url)
    assert len(rows) == count, rows
    return rows


def sent_notifications(served):
    return served.sql(
        "SELECT kind, recipient FROM invitations_notification WHERE status = 'sent' ORDER BY id"
    )


def test_a_newcomer_tries_the_whole_story_in_the_sandbox(tmp_path, browser, screenshot_dir):
    commands = make_run_commands()
    assert commands[-1] == ["serve"], commands
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with portier_serve(
        data_dir,
        unset_env=NOT_INHERITED,
        before=tuple(tuple(c) for c in commands[:-1]),
        timeout=90,
    ) as served:
        base = served.base_url
        # The terminal: URL, demo logins, sandbox mode and the mail viewer, after start-up.
        log = wait(lambda: "Sandbox mode" in served.log() and served.log(), what="first-run text")
        guidance = log[log.rindex("Portier is ready") :]
        assert f"{base}/accounts/login/" in guidance
        assert f"{HOST} / {PASSWORD}" in guidance
        assert f"{base}/sandbox/mail/" in guidance and f"{base}/sandbox/calendar/" in guidance

        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        page = context.new_page()

        # Log in as the demo host: the banner says sandbox, the first page says what to do.
        page.goto(base + "/")
        assert page.locator("#sandbox-banner").is_visible()
        page.fill("#id_username", HOST)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        marker = page.locator("#marker-address").inner_text().strip()
        assert marker.startswith("invite@")
        steps = page.locator("ol.steps li")
        assert steps.count() == 4

        # Step 1: the primary location.
        page.click("li[data-step=location] a")
        option = page.locator("#id_primary_location option", has_text="Hauptsitz Berlin")
        page.select_option("#id_primary_location", value=option.get_attribute("value"))
        page.click("main form button[type=submit]")
        page.goto(base + "/")
        assert "done" in page.locator("li[data-step=location]").get_attribute("class")

        # Step 2: connect the sandbox Google through its consent page.
        page.click("li[data-step=connect] a")
        page.click("#connect-google")
        page.wait_for_selector("#approve")
        assert "Portier sandbox" in page.locator("#notice").inner_text()
        assert page.locator("#account").input_value() == HOST
        page.click("#approve")
        page.wait_for_url(base + "/integrations/")
        assert f"Google Calendar {HOST} is connected." in page.content()
        served.wait_for(
            "SELECT synced_at FROM integrations_calendar WHERE synced_at IS NOT NULL", timeout=30
        )

        # The appointments dashboard, open in its own tab, is never reloaded from here on.
        dashboard = context.new_page()
        dashboard.goto(base + "/appointments/")
        assert TITLE not in dashboard.content()

        # Step 3: an event with the marker, an external guest and a colleague.
        page.goto(base + "/")
        page.click("li[data-step=mark] a")
        page.fill("#id_title", TITLE)
        page.fill("#id_location", "Reception, ground floor")
        page.fill("#id_attendees", f"{GUEST}\n{COLLEAGUE}")
        page.click("#add-invite-address")
        assert marker in page.locator("#id_attendees").input_value()
        start = datetime.strptime(page.locator("#id_start").input_value(), LOCAL)
        page.click("#event-form button[type=submit]")
        page.wait_for_selector(f"li[data-event] >> text={TITLE}")

        dashboard.wait_for_selector(f"text={TITLE}", timeout=40_000)
        clip = {"x": 0, "y": 0, "width": 1280, "height": 520}
        dashboard.screenshot(path=str(screenshot_dir / "dashboard.png"), clip=clip)

        # Step 4: exactly one e-mail, the invitation to the external guest.
        [(to, subject, href)] = wait_for_mails(page, base, 1)
        assert to == GUEST and TITLE in subject
        page.goto(base + href)
        attachments = page.locator("#attachments li")
        types = {attachments.nth(i).get_attribute("data-content-type") for i in range(2)}
        assert types == {"image/png", "text/calendar"}
        assert "METHOD:REQUEST" in page.locator("#attachments").text_content()
        frame = page.frame_locator("#mail-html")
        frame.locator("img").first.wait_for()
        assert TITLE in frame.locator("body").inner_text()
        # The whole message, not the first screenful the frame shows by default.
        page.locator("#mail-html").evaluate("frame => { frame.style.height = '920px'; }")
        page.locator("#mail-html").screenshot(path=str(screenshot_dir / "invitation.png"))
        assert sent_notifications(served) == [("invitation", GUEST)]

        # Move the event by an hour: exactly one update.
        page.goto(base + "/sandbox/calendar/")
        page.click(f"li[data-event]:has-text('{TITLE}') >> text=Edit")
        page.fill("#id_start", (start + timedelta(hours=1)).strftime(LOCAL))
        page.fill("#id_end", (start + timedelta(hours=2)).strftime(LOCAL))
        page.click("#event-form button[type=submit]")
        page.wait_for_url(base + "/sandbox/calendar/")
        rows = wait_for_mails(page, base, 2)
        assert [to for to, _s, _h in rows] == [GUEST, GUEST]
        assert TITLE in rows[0][1] and rows[0][1] != rows[1][1]
        later = (start + timedelta(hours=1)).strftime("%H:%M")
        assert later in rows[0][1], rows[0][1]
        assert sent_notifications(served) == [("invitation", GUEST), ("update", GUEST)]

        # Delete it: exactly one cancellation.
        page.goto(base + "/sandbox/calendar/")
        page.once("dialog", lambda dialog: dialog.accept())  # "Delete this event?"
        page.click(f"li[data-event]:has-text('{TITLE}') button:has-text('Delete')")
        page.wait_for_selector("text=The event is deleted from your sandbox calendar.")
        rows = wait_for_mails(page, base, 3)
        assert [to for to, _s, _h in rows] == [GUEST, GUEST, GUEST]
        page.goto(base + rows[0][2])
        assert "cancel.ics" in page.locator("#attachments").inner_text()
        assert "METHOD:CANCEL" in page.locator("#attachments").text_content()
        assert sent_notifications(served) == [
            ("invitation", GUEST),
            ("update", GUEST),
            ("cancellation", GUEST),
        ]
        status = served.sql("SELECT status FROM visits_appointment WHERE title = ?", (TITLE,))
        assert status == [("cancelled",)]
        # The colleague at the internal domain never got an e-mail.
        assert COLLEAGUE not in re.sub(r"\s", "", str(mail_rows(page, base)))
        context.close()
