"""Every page, for every role, in English and German, on a phone (390 px) and a desktop
(1280 px), in headless Chromium against the real `portier serve` in sandbox mode (as `make run`):
no sideways scrolling at either width, no badge wrapped into an oval or field squeezed to a
sliver on the phone, and no serious or critical accessibility violation found by axe-core
(vendored in tests/vendor, `make vendor-axe`). The pages are listed from the URLconf, so a new
page is visited or skipped with a reason, never forgotten. Plus the keyboard (skip link, focus
ring), the kiosk's focus and live regions, and the mail viewer's frame grown to its e-mail.

`make screenshots` runs this with PORTIER_SCREENSHOT_DIR=docs/screenshots/pages and keeps a
screenshot of each key page at both widths in both languages; otherwise none are taken.
"""

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portier.testing.server import portier_serve

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PASSWORD = "portier-demo"
USERS = {
    "admin": "admin@demo.example",
    "host": "host@demo.example",
    "reception": "reception@demo.example",
}
LANGUAGES = {"en": "en-US", "de": "de-DE"}
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
NOT_INHERITED = tuple(
    name
    for name in os.environ
    if name.startswith(("GOOGLE_", "MICROSOFT_", "PORTIER_SANDBOX", "EMAIL_"))
)

ADMIN, HOST, DESK = ("admin",), ("host",), ("admin", "reception")
STAFF, OWNERS, GUEST = ("admin", "host", "reception"), ("admin", "host"), ("anonymous",)


@dataclass(frozen=True)
class Page:
    roles: tuple[str, ...]
    kwargs: tuple[tuple[str, str], ...] = ()  # URL argument -> key of the seeded data
    query: str = ""
    screenshot: str = ""  # a file name: one of the key pages `make screenshots` keeps
    follows_browser: bool = True  # in the browser's language (else the guest's own)


# Every named route of the URLconf is here or in SKIPPED.
PAGES = {
    "dashboard:home": Page(STAFF, screenshot="home"),
    "login": Page(GUEST, screenshot="login"),
    "password_reset": Page(GUEST),
    "password_reset_done": Page(GUEST),
    "password_reset_confirm": Page(GUEST, (("uidb64", "reset_uid"), ("token", "reset_token"))),
    "password_reset_complete": Page(GUEST),
    "password_change": Page(STAFF),
    "password_change_done": Page(STAFF),
    "accounts:profile": Page(STAFF),
    "locations:list": Page(ADMIN, screenshot="locations"),
    "locations:create": Page(ADMIN),
    "locations:edit": Page(ADMIN, (("pk", "location"),)),
    "emails:previews": Page(ADMIN),
    "emails:preview": Page(ADMIN, (("kind", "email_kind"), ("language", "email_language"))),
    "companies:users": Page(ADMIN, screenshot="users"),
    "companies:user_deactivate": Page(ADMIN, (("pk", "colleague"),)),
    "companies:settings": Page(ADMIN),
    "integrations:list": Page(STAFF),
    "integrations:detail": Page(HOST, (("pk", "connection"),)),
    "integrations:disconnect": Page(HOST, (("pk", "connection"),)),
    "invitations:visit": Page(
        GUEST, (("token", "guest_token"),), screenshot="guest-page", follows_browser=False
    ),
    "sandbox:calendar": Page(STAFF, screenshot="sandbox-calendar"),
    "sandbox:event_edit": Page(HOST, (("event_id", "event"),)),
    "sandbox:mail": Page(STAFF, screenshot="sandbox-mail"),
    "sandbox:mail_detail": Page(OWNERS, (("pk", "mail"),), screenshot="sandbox-mail-detail"),
    "contacts:list": Page(STAFF, screenshot="contacts"),
    "contacts:detail": Page(HOST, (("pk", "contact"),)),
    "contacts:edit": Page(HOST, (("pk", "contact"),)),
    "visits:list": Page(STAFF, screenshot="appointments"),
    "visits:create": Page(STAFF, screenshot="appointment-new"),
    "visits:ignored": Page(STAFF),
    "visits:detail": Page(OWNERS, (("pk", "appointment"),), screenshot="appointment"),
    "visits:edit": Page(OWNERS, (("pk", "appointment"),)),
    "checkin:front_desk_index": Page(DESK),
    "checkin:front_desk": Page(DESK, (("location_id", "location"),), screenshot="front-desk"),
    "checkin:walk_in": Page(DESK, (("location_id", "location"),), screenshot="walk-in"),
    "checkin:on_site": Page(DESK, (("location_id", "location"),)),
    "checkin:badge": Page(
        DESK, (("location_id", "location"), ("guest_id", "checked_in_guest")), screenshot="badge"
    ),
    "checkin:kiosks": Page(ADMIN, (("pk", "location"),), screenshot="kiosks"),
    "checkin:visitor_log": Page(DESK, screenshot="visitor-log"),
    "checkin:kiosk": Page(GUEST, (("secret", "kiosk_secret"),), screenshot="kiosk"),
}
POST_ONLY = [
    "logout",
    "set_language",
    "accounts:token_create",
    "accounts:token_delete",
    "locations:delete",
    "companies:user_role",
    "companies:user_reactivate",
    "integrations:notifications",
    "contacts:delete",
    "sandbox:event_delete",
    "visits:cancel",
    "checkin:check_in",
    "checkin:check_out",
    "checkin:left",
    "checkin:kiosk_revoke",
]
SKIPPED = {
    **dict.fromkeys(POST_ONLY, "POST only: a form's action, it renders no page of its own"),
    "sandbox:mail_raw": "a file download (.eml)",
    "sandbox:mail_attachment": "a file download (the attachment)",
    "checkin:visitor_log_csv": "a file download (CSV)",
    "integrations:callback": "the OAuth redirect: it redirects, it shows nothing",
    "integrations:connect": (
        "the served instance has only OAuth sources, which start by POST; a form source's "
        "connect page is tested in portier/integrations/tests/test_generic_connect.py"
    ),
}
API = "the JSON API (and ninja's generated API docs), not a page of the product"

# Run in the served instance after `seeddemo`: content for every page. Prints the ids as JSON.
SEED = """
import json
from datetime import timedelta
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from portier.accounts.models import User
from portier.checkin import kiosks, services as checkin
from portier.companies.models import Role
from portier.companies.services import add_member
from portier.locations.models import Location
from portier.visits.services import GuestInfo, Timing, cancel_appointment, create_appointment

hq = Location.objects.get(code="HQ")
hq.requires_preregistration = True
hq.house_rules_en = "Wear the visitor badge at all times.\\nPhotos only with permission."
hq.house_rules_de = "Tragen Sie den Besucherausweis sichtbar.\\nFotos nur mit Erlaubnis."
hq.save()
User.objects.update(language="", primary_location=hq)  # the browser's language decides
host = User.objects.get(email="host@demo.example")
desk = User.objects.get(email="reception@demo.example")
colleague = add_member(company=host.company, email="dora.deactivate@demo.example",
                       role=Role.HOST, name="Dora Doppelname-Mustermann", password="x" * 20)
colleague = User.objects.get(email="dora.deactivate@demo.example")
start = timezone.now() + timedelta(minutes=10)
guests = [
    GuestInfo("ana.lima@umbrella-corporation.example", "Ana Lima"),
    GuestInfo("bartholomew.featherstonehaugh@international-consolidated.example",
              "Bartholomew Featherstonehaugh"),
    GuestInfo("chen.wei@example.org", "Chen Wei"),
    GuestInfo("dana.kiosk@example.org", "Dana Kiosk"),
    GuestInfo("emil.kiosk@example.org", "Emil Kiosk"),
]
appointment, _change = create_appointment(
    company=host.company, host=host, location=hq,
    title="Quarterly planning with Umbrella Corporation and International Consolidated",
    timing=Timing(start, start + timedelta(hours=2), "Europe/Berlin"),
    guests=guests, description="Bring the signed contracts.",
)
later, _change = create_appointment(
    company=host.company, host=host, location=hq, title="Supplier audit",
    timing=Timing(start + timedelta(days=1), start + timedelta(days=1, hours=1), "Europe/Berlin"),
    guests=[GuestInfo("frank@example.net", "Frank Auditor")],
)
dropped, _change = create_appointment(
    company=host.company, host=host, location=hq, title="Cancelled workshop",
    timing=Timing(start + timedelta(days=2), start + timedelta(days=2, hours=1), "Europe/Berlin"),
    guests=[GuestInfo("gina@example.net", "Gina Gone")],
)
cancel_appointment(appointment=dropped)
by_email = {g.email: g for g in appointment.guests.all()}
ana = by_email["ana.lima@umbrella-corporation.example"]
ana.company_name = "Umbrella Corporation"
ana.registered_at = ana.rules_accepted_at = timezone.now()
ana.save()
checkin.check_in(ana, location=hq, by=desk)
_kiosk, secret = kiosks.create_kiosk(location=hq, name="Entrance tablet", by=host)
print(json.dumps({
    "location": hq.pk,
    "appointment": appointment.pk,
    "checked_in_guest": ana.pk,
    "guest_token": by_email["chen.wei@example.org"].token,
    "kiosk_codes": {
        "en": by_email["dana.kiosk@example.org"].check_in_code,
        "de": by_email["emil.kiosk@example.org"].check_in_code,
    },
    "kiosk_secret": secret,
    "colleague": colleague.pk,
    "contact": host.contacts.order_by("pk").first().pk,
    "reset_uid": urlsafe_base64_encode(force_bytes(colleague.pk)),
    "reset_token": default_token_generator.make_token(colleague),
    "email_kind": "invitation",
    "email_language": "de",
}))
"""

# Run by axe-core in the page: WCAG 2.1 A/AA and best practice; iframes are the e-mails' own
# HTML (sandboxed, without scripts), not the page.
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    iframes: false,
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
}"""
WIDTHS = "[document.documentElement.scrollWidth, window.innerWidth]"


def routes(patterns=None, namespace=""):
    """Every named route of the URLconf: {name: pattern}."""
    found = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            for name, pattern in routes(entry.url_patterns, inner).items():
                found[name] = str(entry.pattern) + pattern
        elif isinstance(entry, URLPattern) and entry.name:
            found[f"{namespace}:{entry.name}" if namespace else entry.name] = str(entry.pattern)
    return found


def test_every_route_of_the_urlconf_is_visited_or_skipped_with_a_reason():
    names = set(routes())
    api = {name for name in names if name.startswith("api:")}
    assert api, "the API is mounted under the namespace api"
    unlisted = names - set(PAGES) - set(SKIPPED) - api
    assert not unlisted, f"add these to PAGES (or SKIPPED, with a reason): {sorted(unlisted)}"
    assert not (set(PAGES) | set(SKIPPED)) - names, "listed routes that no longer exist"
    assert not set(PAGES) & set(SKIPPED)


class Checker:
    """Loads a page at phone width, checks it, then widens the same page to desktop width."""

    def __init__(self, base_url, screenshot_dir):
        self.base_url = base_url
        self.screenshot_dir = screenshot_dir
        self.axe = AXE.read_text()
        self.problems: list[str] = []
        self.visited: list[str] = []

    def check(self, page, label, language, screenshot="", follows_browser=True):
        """The page as it is now (loaded at 390 px), then the same page at 1280 px."""
        what = f"{label} [{language}]"
        self.visited.append(what)
        lang = page.evaluate("document.documentElement.lang")
        if follows_browser and lang != language:
            self.problems.append(f"{what}: <html lang={lang!r}>")
        for viewport in (PHONE, DESKTOP):
            if viewport is DESKTOP:
                page.set_viewport_size(DESKTOP)
            width, inner = page.evaluate(WIDTHS)
            if viewport is PHONE:
                for problem in page.evaluate(CRAMPED):
                    self.problems.append(f"{what}: {problem}")
            if width > inner:
                wide = page.evaluate(WIDEST)
                self.problems.append(f"{what}: {width} px wide at {inner} px: {wide}")
                print("PROBLEM", self.problems[-1])
            if not page.evaluate("typeof axe !== 'undefined'"):
                page.evaluate(self.axe)
            for violation in page.evaluate(AXE_RUN):
                self.problems.append(f"{what} at {viewport['width']} px: {violation}")
                print("PROBLEM", self.problems[-1])
            if screenshot and self.screenshot_dir:
                name = f"{screenshot}-{viewport['width']}-{language}.png"
                page.screenshot(path=str(self.screenshot_dir / name), animations="disabled")
        page.set_viewport_size(PHONE)

    def visit(self, page, path, label, language, screenshot="", status=200, follows_browser=True):
        response = page.goto(self.base_url + path)
        assert response is not None and response.status == status, (label, response)
        self.check(page, label, language, screenshot, follows_browser)


# What fits but is still cramped on a phone: a status badge wrapped into an oval, a text field
# squeezed to a sliver (the guest fields of the invitation form were ~60 px wide).
CRAMPED = """() => [
  ...[...document.querySelectorAll(".badge")]
    .filter((b) => b.offsetParent && b.getClientRects().length === 1
                   && b.offsetHeight > 2 * parseFloat(getComputedStyle(b).fontSize) + 4)
    .map((b) => `badge "${b.textContent.trim()}" wraps (${b.offsetHeight} px high)`),
  ...[...document.querySelectorAll("main input, main select, main textarea")]
    .filter((f) => !["checkbox", "radio", "hidden"].includes(f.type))
    .filter((f) => f.offsetParent && f.getBoundingClientRect().width < 100)
    .map((f) => `field ${f.name} is ${Math.round(f.getBoundingClientRect().width)} px wide`),
]"""

# The elements that stick out past the right edge (for the failure message).
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right
                  <= window.innerWidth + 1)
  .slice(0, 4)
  .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${e.className}`
              + ` (${Math.round(e.getBoundingClientRect().right)} px)`)"""


def log_in(page, base_url, email):
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")


def connect_sandbox_google_and_mark_an_event(page, served) -> str:
    """The host's sandbox Google connected, with one marked event; returns its id."""
    base = served.base_url
    page.goto(base + "/integrations/")
    page.click("#connect-google")
    page.click("#approve")
    page.wait_for_url(base + "/integrations/")
    served.wait_for("SELECT 1 FROM integrations_calendar WHERE synced_at IS NOT NULL", timeout=40)
    page.goto(base + "/sandbox/calendar/")
    page.fill("#id_title", "Visit by Initech")
    page.fill("#id_attendees", "gina.guest@initech.example")
    page.click("#add-invite-address")
    page.click("#event-form button[type=submit]")
    event = page.locator("li[data-event]", has_text="Visit by Initech")
    return event.get_attribute("data-event")


def kiosk_steps(checker, page, seed, language):
    """The kiosk without a login: start, a wrong code, confirm and pre-register, done."""
    kiosk = reverse("checkin:kiosk", kwargs={"secret": seed["kiosk_secret"]})
    checker.visit(page, f"{kiosk}?lang={language}&mode=out", "kiosk check-out", language)
    checker.visit(page, f"{kiosk}?lang={language}", "kiosk start", language, "kiosk")
    page.fill("#id_code", "WRONG123")
    page.click("#kiosk-code-form button[type=submit]")
    error = page.locator(".kiosk-error[role=alert]")
    assert error.is_visible()
    # The error is read out with the field it belongs to, and focus is back in the field.
    assert page.evaluate("document.activeElement.id") == "id_code"
    described = page.get_attribute("#id_code", "aria-describedby") or ""
    assert error.get_attribute("id") in described.split()
    checker.check(page, "kiosk wrong code", language)
    page.fill("#id_code", seed["kiosk_codes"][language])
    page.click("#kiosk-code-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("input[name=code][type=hidden]").count() == 1, page.inner_text("main")
    checker.check(page, "kiosk confirm and register", language, "kiosk-confirm")
    page.check("input[name$=accept_rules]")
    page.click("button[name=action][value=confirm]")
    done = page.locator(".kiosk-done")
    assert done.get_attribute("role") == "status"
    assert done.get_attribute("aria-live") == "polite"
    checker.check(page, "kiosk done", language, "kiosk-done")


def csrf_failure(checker, page, language):
    """The bare error layout (no context processors, no queries): a form posted without its
    CSRF token gets the 403 page."""
    page.goto(checker.base_url + "/accounts/login/")
    page.evaluate("document.querySelector('input[name=csrfmiddlewaretoken]').remove()")
    page.fill("#id_username", USERS["host"])
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation() as navigation:
        page.click("button[type=submit]")
    assert navigation.value.status == 403
    assert page.locator(".error-page[data-status='403']").is_visible()
    checker.check(page, "403 CSRF (bare layout)", language)


def keyboard_basics(page, base_url):
    """The first Tab reaches the skip link, which is then visible and leads to the content;
    the focused control shows a focus ring."""
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), outline


@pytest.fixture
def screenshot_dir():
    path = os.environ.get("PORTIER_SCREENSHOT_DIR")
    if not path:
        return None
    Path(path).mkdir(parents=True, exist_ok=True)
    return Path(path)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (tools/ensure-chromium installs it)",
)
def test_every_page_fits_a_phone_and_passes_axe_for_every_role_in_both_languages(
    tmp_path, screenshot_dir
):
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with (
        portier_serve(
            data_dir, unset_env=NOT_INHERITED, before=(("migrate",), ("seeddemo",)), timeout=90
        ) as served,
        sync_playwright() as playwright,
    ):
        base = served.base_url
        seed = json.loads(served.portier("shell", "-c", SEED).strip().splitlines()[-1])
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        checker = Checker(base, screenshot_dir)
        setup = browser.new_context(viewport=DESKTOP)
        setup.set_default_timeout(30_000)
        page = setup.new_page()
        log_in(page, base, USERS["host"])
        seed["event"] = connect_sandbox_google_and_mark_an_event(page, served)
        [(seed["connection"],)] = served.sql("SELECT id FROM integrations_connection")
        [(seed["mail"],)], _waited = served.wait_for(
            "SELECT id FROM sandbox_caughtmail WHERE subject LIKE ? ORDER BY id LIMIT 1",
            ("%Quarterly planning%",),
            timeout=40,
        )
        setup.close()
        seeded = time.monotonic()

        for language, locale in LANGUAGES.items():
            for role in (*USERS, "anonymous"):
                context = browser.new_context(locale=locale, viewport=PHONE)
                context.set_default_timeout(20_000)
                page = context.new_page()
                if role != "anonymous":
                    log_in(page, base, USERS[role])
                for name, spec in PAGES.items():
                    if role not in spec.roles or name == "checkin:kiosk":
                        continue
                    kwargs = {arg: seed[key] for arg, key in spec.kwargs}
                    path = reverse(name, kwargs=kwargs) + spec.query
                    shot = spec.screenshot if role in (spec.roles[0], "anonymous") else ""
                    label = f"{role} {name}"
                    checker.visit(page, path, label, language, shot, 200, spec.follows_browser)
                if role == "anonymous":
                    kiosk_steps(checker, page, seed, language)
                    checker.visit(page, "/no-such-page/", "404", language, status=404)
                    csrf_failure(checker, page, language)
                if role == "admin":
                    nav = page.locator("nav.mainnav a[href='/administration/emails/']")
                    assert nav.count() == 1
                    mail_frame_fits_its_content(page, base, seed)
                    if language == "en":
                        keyboard_basics(page, base)
                context.close()
        browser.close()

    finished = time.monotonic()
    report = "\n".join(checker.problems)
    assert not checker.problems, f"{len(checker.problems)} problems:\n{report}"
    assert len(checker.visited) >= 100, checker.visited
    print(
        f"{len(checker.visited)} page visits, seeded in {seeded - started:.0f} s,"
        f" checked in {finished - seeded:.0f} s"
    )


def mail_frame_fits_its_content(page, base_url, seed):
    """The sandbox mail viewer's frame grows to the e-mail: the QR code is not cut off."""
    page.goto(base_url + reverse("sandbox:mail_detail", kwargs={"pk": seed["mail"]}))
    frame = page.frame_locator("#mail-html")
    frame.locator("img").last.wait_for()
    page.wait_for_function(
        "() => document.getElementById('mail-html').dataset.fitted === 'yes'", timeout=10_000
    )
    box = page.locator("#mail-html").bounding_box()
    content = page.evaluate(
        "document.getElementById('mail-html').contentDocument.documentElement.scrollHeight"
    )
    assert content > 600, content  # the whole invitation, QR code included
    assert box["height"] >= content, (box, content)
