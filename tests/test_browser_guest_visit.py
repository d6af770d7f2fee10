"""In headless Chromium against the real `portier serve`: a guest opens their visit page from the
invitation in the SMTP sink, pre-registers on a phone, then checks in at the kiosk by typing the
code; the host's arrival e-mail arrives. Every page fits 390 px, in English and German. And a
guest checks in and out at the kiosk by holding the QR code in front of its (fake) camera."""

import re

import pytest

from portier.testing.fakes.smtp import SmtpSink
from portier.testing.server import portier_serve
from tests.test_browser_appointments import CHROMIUM, CHROMIUM_ARGS
from tests.test_browser_front_desk import qr_y4m

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (tools/ensure-chromium installs it)",
    ),
]

PASSWORD = "a-good-long-password"
HOST = "boss@initech.example"
GUEST = "ann@example.org"
SETUP = """
from datetime import timedelta
from django.utils import timezone
from portier.accounts.models import User
from portier.checkin.kiosks import create_kiosk, kiosk_url
from portier.companies.models import Role
from portier.companies.services import add_member
from portier.locations.models import Location
from portier.visits.services import GuestInfo, Timing, create_appointment

host = User.objects.get(email="boss@initech.example")
location = Location.objects.create(
    company=host.company, name="Initech HQ", address="Main St 1\\n10117 Berlin",
    time_zone="Europe/Berlin", requires_preregistration=True,
    house_rules_en="Visitors wear their badge at all times.",
    house_rules_de="Besucher tragen jederzeit ihr Namensschild.",
)
start = timezone.now() + timedelta(minutes=10)
create_appointment(
    company=host.company, host=host, location=location, title="Contract signing",
    timing=Timing(start, start + timedelta(hours=1), "Europe/Berlin"),
    guests=[GuestInfo("ann@example.org", "ann arbor")],
)
_kiosk, secret = create_kiosk(location=location, name="Entrance", by=host)
print("KIOSK", kiosk_url(secret))
add_member(company=host.company, email="desk@initech.example", role=Role.RECEPTION,
           name="Desk", password="a-good-long-password")
"""


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def fits(page, width=390) -> bool:
    """No sideways scrolling at this width."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_guest_pre_registers_on_the_phone_and_checks_in_at_the_kiosk(tmp_path, browser):
    sink = SmtpSink().start()
    env = {"EMAIL_HOST": sink.host, "EMAIL_PORT": str(sink.port), "EMAIL_TIMEOUT": "5"}
    try:
        with portier_serve(tmp_path, extra_env=env) as served:
            served.portier(
                "createcompany", "--name", "Initech", "--admin-email", HOST,
                "--password", PASSWORD,
            )  # fmt: skip
            kiosk = re.search(r"KIOSK (\S+)", served.portier("shell", "-c", SETUP)).group(1)
            sink.wait_for(1, timeout=30)
            (invitation,) = sink.messages_to(GUEST)
            text = invitation.get_body(("plain",)).get_content()
            link = re.search(r"http://127\.0\.0\.1:\d+/visit/[\w-]+/", text).group(0)
            code = re.search(r"\b[A-HJ-NP-Z2-9]{8}\b", text).group(0)

            phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
            phone.set_default_timeout(20_000)
            page = phone.new_page()
            page.goto(link)
            assert "Register before your visit" in page.content()
            assert "asks every guest to register" in page.content()
            assert fits(page)
            page.fill("#id_reg-name", "Ann Arbor")
            page.fill("#id_reg-company_name", "Arbor & Sons")
            page.fill("#id_reg-phone", "+49 30 1234")
            assert "Visitors wear their badge" in page.locator(".rules").first.inner_text()
            page.check("#id_reg-accept_rules")
            page.click("button[value=register]")
            page.wait_for_selector("text=You are registered")
            assert "Arbor &amp; Sons" in page.content() and fits(page)
            phone.close()

            tablet = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
            tablet.set_default_timeout(20_000)
            page = tablet.new_page()
            page.goto(kiosk)
            assert "I am arriving" in page.content()  # the company's language
            page.click("a[hreflang=de]")
            assert "Ich komme an" in page.content() and fits(page)
            page.click("a[hreflang=en]")
            assert "I am arriving" in page.content() and fits(page)
            page.fill("#id_code", code.lower())
            page.click("button[value=find]")
            page.wait_for_selector("text=Hello, Ann Arbor")
            assert fits(page)
            page.click("button[value=confirm]")
            page.wait_for_selector("#kiosk-host-told")
            assert "Your host has been told" in page.inner_text("#kiosk-host-told")
            assert fits(page)
            # Back at the start by itself after a few seconds.
            page.wait_for_selector("#kiosk-code-form", timeout=20_000)
            tablet.close()

            sink.wait_for(2, timeout=30)
            arrival = sink.messages_to(HOST)
            assert len(arrival) == 1, [m["Subject"] for m in sink.messages]
            assert "Ann Arbor" in str(arrival[0]["Subject"])
            rows = served.sql(
                "SELECT checked_in_via FROM checkin_visit JOIN visits_guest"
                " ON visits_guest.id = checkin_visit.guest_id WHERE visits_guest.email = ?",
                (GUEST,),
            )
            assert rows == [("kiosk",)]

            # The staff's new pages on a phone, in German: visitor log, kiosks, home.
            staff = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
            staff.set_default_timeout(20_000)
            page = staff.new_page()
            page.goto(served.base_url + "/accounts/login/")
            page.fill("#id_username", HOST)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(served.base_url + "/")
            page.goto(served.base_url + "/visitor-log/")
            assert "Besucherprotokoll" in page.content() and "Ann Arbor" in page.content()
            assert fits(page)
            location_id = served.sql("SELECT id FROM locations_location")[0][0]
            page.goto(f"{served.base_url}/administration/locations/{location_id}/kiosks/")
            assert "Entrance" in page.content() and fits(page)
            staff.close()

            # Reception's home page is "today": Ann is on site.
            desk = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
            desk.set_default_timeout(20_000)
            page = desk.new_page()
            page.goto(served.base_url + "/accounts/login/")
            page.fill("#id_username", "desk@initech.example")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(served.base_url + "/")
            assert "Ann Arbor" in page.inner_text("ul.on-site") and fits(page)
            assert "1 Gast vor Ort" in page.content()
            desk.close()
    finally:
        sink.stop()


QR_SETUP = """
from datetime import timedelta
from django.utils import timezone
from portier.accounts.models import User
from portier.checkin.kiosks import create_kiosk, kiosk_url
from portier.locations.models import Location
from portier.visits.services import GuestInfo, Timing, create_appointment

host = User.objects.get(email="boss@initech.example")
location = Location.objects.create(
    company=host.company, name="Initech HQ", address="Main St 1\\n10117 Berlin",
    time_zone="Europe/Berlin",
)
start = timezone.now() + timedelta(minutes=10)
appointment, _change = create_appointment(
    company=host.company, host=host, location=location, title="Contract signing",
    timing=Timing(start, start + timedelta(hours=1), "Europe/Berlin"),
    guests=[GuestInfo("ana@example.org", "Ana Lima")],
)
_kiosk, secret = create_kiosk(location=location, name="Entrance", by=host)
print("CODE", appointment.guests.get().check_in_code)
print("KIOSK", kiosk_url(secret))
"""


def test_a_guest_checks_in_and_out_at_the_kiosk_by_qr_code(tmp_path):
    from playwright.sync_api import sync_playwright

    with portier_serve(tmp_path) as served, sync_playwright() as playwright:
        served.portier(
            "createcompany", "--name", "Initech", "--admin-email", HOST, "--password", PASSWORD
        )
        output = served.portier("shell", "-c", QR_SETUP)
        code = re.search(r"CODE (\S+)", output).group(1)
        kiosk = re.search(r"KIOSK (\S+)", output).group(1)
        camera = qr_y4m(code, tmp_path / "qr.y4m")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={camera}",
            ],
        )
        try:
            tablet = chromium.new_context(
                viewport={"width": 390, "height": 844}, permissions=["camera"]
            )
            tablet.set_default_timeout(20_000)
            page = tablet.new_page()
            page.goto(kiosk)
            page.click("[data-scan-start]")
            page.wait_for_selector("text=Hello, Ana Lima")
            page.click("button[value=confirm]")
            page.wait_for_selector("#kiosk-host-told")

            page.goto(kiosk + "?mode=out")
            page.click("[data-scan-start]")
            page.wait_for_selector("#kiosk-checked-out")
            assert fits(page)
        finally:
            chromium.close()
        rows = served.sql("SELECT checked_in_via, checked_out_via FROM checkin_visit")
        assert rows == [("kiosk", "kiosk")]
