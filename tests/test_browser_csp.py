"""The Content-Security-Policy in a real browser: the key pages load under it without a single
violation, and what used to be inline script (confirm dialogs, the sandbox's "Add it" button,
htmx's polling) still works. Against the real `portier serve` in sandbox mode, as `make run`."""

import os
import re

import pytest

from portier.lib.security import CONTENT_SECURITY_POLICY
from portier.testing.server import portier_serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
HOST, ADMIN, PASSWORD = "host@demo.example", "admin@demo.example", "portier-demo"
GUEST = "gina.guest@initech.example"
TITLE = "Visit under CSP"
NOT_INHERITED = tuple(
    name
    for name in os.environ
    if name.startswith(("GOOGLE_", "MICROSOFT_", "PORTIER_SANDBOX", "EMAIL_"))
)
# Runs before any page script, in every frame that may run scripts; reports to the test.
WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportViolation(`${e.violatedDirective} ${e.blockedURI} at ${e.documentURI}`);
});
"""


@pytest.fixture
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium when it can")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """CSP violations from events and from the console, and the policy of every page."""

    def __init__(self, context):
        self.violations: list[str] = []
        self.policies: dict[str, str] = {}
        context.expose_binding("reportViolation", lambda _src, text: self.violations.append(text))
        context.add_init_script(WATCH)
        context.on("console", self._console)
        context.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def _response(self, response):
        if response.request.resource_type == "document":
            self.policies[response.url] = response.headers.get("content-security-policy", "")


def log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_key_pages_load_without_csp_violations(tmp_path, browser):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with portier_serve(
        data_dir, unset_env=NOT_INHERITED, before=(("migrate",), ("seeddemo",)), timeout=90
    ) as served:
        base = served.base_url
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        context.set_default_timeout(20_000)
        watch = Watch(context)
        page = context.new_page()

        # The detector works: a script injected inline is refused and reported.
        page.goto(base + "/accounts/login/")
        page.evaluate(
            "document.body.appendChild(Object.assign(document.createElement('script'),"
            " {textContent: 'window.injected = true'}))"
        )
        page.wait_for_timeout(300)
        assert page.evaluate("window.injected === undefined")
        assert any("script-src" in v for v in watch.violations), watch.violations
        watch.violations.clear()

        # The host connects the sandbox Google and marks an event with the "Add it" button.
        log_in(page, base, HOST)
        page.goto(base + "/profile/")
        option = page.locator("#id_primary_location option", has_text="Hauptsitz Berlin")
        page.select_option("#id_primary_location", value=option.get_attribute("value"))
        page.click("main form button[type=submit]")
        page.goto(base + "/integrations/")
        page.click("#connect-google")
        page.click("#approve")
        page.wait_for_url(base + "/integrations/")
        served.wait_for("SELECT 1 FROM integrations_calendar WHERE synced_at IS NOT NULL")

        page.goto(base + "/sandbox/calendar/")
        page.fill("#id_title", TITLE)
        page.fill("#id_attendees", GUEST)
        page.click("#add-invite-address")  # static JS now, not an inline script
        assert "invite@" in page.locator("#id_attendees").input_value()
        page.click("#event-form button[type=submit]")
        page.wait_for_selector(f"li[data-event] >> text={TITLE}")
        [(token,)], _waited = served.wait_for(
            "SELECT token FROM visits_guest WHERE email = ?", (GUEST,), timeout=40
        )

        # The appointment list polls with htmx; htmx adds no inline <style>.
        page.goto(base + "/appointments/")
        with page.expect_response(
            lambda r: "/appointments/" in r.url and r.request.headers.get("hx-request") == "true",
            timeout=20_000,
        ) as polled:
            pass
        assert polled.value.status == 200
        assert page.evaluate("document.querySelectorAll('style').length") == 0
        assert page.locator("#appointment-rows").inner_text().count(TITLE) == 1

        # The appointment page (a synced one: changed in the calendar, not here).
        page.click(f"#appointment-rows a:has-text('{TITLE}')")
        page.wait_for_url(re.compile(r".*/appointments/\d+/$"))
        assert page.locator(f"h1:has-text('{TITLE}')").is_visible()

        # The sandbox mail viewer shows the invitation's HTML (inline styles, data: QR image).
        page.goto(base + "/sandbox/mail/")
        page.wait_for_selector("tr[data-mail] a.subject")
        page.click("tr[data-mail] a.subject")
        image = page.frame_locator("#mail-html").locator("img").first
        assert image.evaluate("img => img.complete && img.naturalWidth") > 0

        page.goto(base + "/no-such-page/")

        # The guest's page with its QR code (inline SVG), at phone width.
        guest_page = context.new_page()
        guest_page.goto(f"{base}/visit/{token}/")
        assert guest_page.locator(".qr svg").is_visible()
        guest_page.close()

        # An admin's e-mail preview: the HTML e-mail in a sandboxed srcdoc frame.
        page.click("form.logout button")
        log_in(page, base, ADMIN)
        page.goto(base + "/administration/emails/invitation/en/")
        preview = page.frame_locator("iframe").locator("img").first
        assert preview.evaluate("img => img.complete && img.naturalWidth") > 0
        # The confirm dialog before deleting a location comes from static JS now.
        page.goto(base + "/administration/locations/")
        questions = []

        def dismiss(dialog):
            questions.append(dialog.message)
            dialog.dismiss()

        page.once("dialog", dismiss)
        page.locator("form[data-confirm] button[type=submit]").first.click()
        assert questions == ["Delete this location?"]
        assert served.sql("SELECT COUNT(*) FROM locations_location") == [(2,)]
        context.close()

        assert watch.violations == []
        pages = [url for url in watch.policies if url.startswith(base)]
        assert len(pages) >= 10, pages
        assert {watch.policies[url] for url in pages} == {CONTENT_SECURITY_POLICY}
