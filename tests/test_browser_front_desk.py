"""In headless Chromium against the real `portier serve`: reception checks a guest in at the
front desk by holding the invitation's QR code in front of the camera (Chromium's fake camera
plays a Y4M file drawn from the code), prints the badge, and checks the guest out by QR code
again. The host gets one arrival e-mail. The front desk's pages fit 390 px, in English and
German."""

import re
from pathlib import Path

import pytest
import segno

from portier.testing.fakes.smtp import SmtpSink
from portier.testing.server import portier_serve
from tests.test_browser_appointments import CHROMIUM, CHROMIUM_ARGS

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
DESK = "desk@initech.example"
SETUP = """
from datetime import timedelta
from django.utils import timezone
from portier.accounts.models import User
from portier.companies.models import Role
from portier.companies.services import add_member
from portier.locations.models import Location
from portier.visits.services import GuestInfo, Timing, create_appointment

host = User.objects.get(email="boss@initech.example")
add_member(company=host.company, email="desk@initech.example", role=Role.RECEPTION,
           name="Desk", password="a-good-long-password")
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
guest = appointment.guests.get()
guest.company_name = "Umbrella"
guest.save()
print("CODE", guest.check_in_code)
"""


def qr_y4m(text: str, path: Path, width=640, height=480, frames=5) -> Path:
    """A camera picture of the QR code: 8 px per module, a 4-module quiet zone, centred."""
    matrix = segno.make(text, micro=False).matrix
    modules = len(matrix) + 8
    scale = 8
    left, top = (width - modules * scale) // 2, (height - modules * scale) // 2
    luma = bytearray([235]) * (width * height)
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if not dark:
                continue
            for dy in range(scale):
                y = top + (row + 4) * scale + dy
                start = y * width + left + (col + 4) * scale
                luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 4)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


def fits(page, width=390) -> bool:
    """No sideways scrolling at this width."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def login(context, base_url):
    page = context.new_page()
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", DESK)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")
    return page


def test_reception_scans_the_qr_code_prints_the_badge_and_checks_the_guest_out(tmp_path):
    from playwright.sync_api import sync_playwright

    sink = SmtpSink().start()
    env = {"EMAIL_HOST": sink.host, "EMAIL_PORT": str(sink.port), "EMAIL_TIMEOUT": "5"}
    try:
        with portier_serve(tmp_path, extra_env=env) as served, sync_playwright() as playwright:
            served.portier(
                "createcompany", "--name", "Initech", "--admin-email", HOST,
                "--password", PASSWORD,
            )  # fmt: skip
            code = re.search(r"CODE (\S+)", served.portier("shell", "-c", SETUP)).group(1)
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
            desk = chromium.new_context(
                viewport={"width": 390, "height": 844},
                locale="en-US",
                permissions=["camera"],
            )
            desk.set_default_timeout(20_000)
            # Record the print dialogue instead of opening it (headless has no printer).
            desk.add_init_script("window.print = () => { window.__printed = true; };")
            page = login(desk, served.base_url)

            page.click("nav.mainnav >> text=Front desk")
            page.wait_for_url("**/front-desk/*/")
            desk_url = page.url
            assert "Ana Lima" in page.inner_text("#front-desk") and fits(page)
            page.click("text=Scan QR code to check in")
            page.wait_for_url("**?guest=*")
            assert "Ana Lima (Umbrella) is checked in; boss@initech.example has been told." in (
                page.inner_text(".messages")
            )
            assert fits(page)
            rows = served.sql("SELECT checked_in_via, checked_out_at FROM checkin_visit")
            assert rows == [("desk", None)]

            page.click("#badge-link")
            page.wait_for_url("**/badge/*/")
            badge = page.inner_text("#badge")
            for text in ("Ana Lima", "Umbrella", "boss@initech.example", "Initech HQ", code):
                assert text in badge
            assert page.locator("#badge svg").count() == 1 and fits(page)
            page.click("text=Print badge")
            assert page.evaluate("window.__printed === true")
            page.emulate_media(media="print")
            assert page.is_visible("#badge") and not page.is_visible(".badge-actions")
            page.emulate_media(media="screen")

            page.goto(desk_url)
            page.click("text=Scan QR code to check out")
            page.wait_for_selector(".messages >> text=is checked out")
            assert served.sql("SELECT checked_out_at IS NOT NULL FROM checkin_visit") == [(1,)]
            sink.wait_for(2, timeout=30)  # the guest's invitation and the host's arrival notice
            arrivals = sink.messages_to(HOST)
            assert [m["Subject"] for m in arrivals] == [
                "Ana Lima (Umbrella) has arrived at Initech HQ"
            ]

            # The other new pages at 390 px, in English and in German.
            location_id = desk_url.rstrip("/").rsplit("/", 1)[1]
            for path in ("", "walk-in/", "on-site/"):
                page.goto(f"{served.base_url}/front-desk/{location_id}/{path}")
                assert fits(page), path
            desk.close()
            german = chromium.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
            german.set_default_timeout(20_000)
            page = login(german, served.base_url)
            for path, text in (
                ("", "Empfang: Initech HQ"),
                ("walk-in/", "Spontanbesuch erfassen"),
                ("on-site/", "Jetzt vor Ort"),
            ):
                page.goto(f"{served.base_url}/front-desk/{location_id}/{path}")
                assert text in page.content() and fits(page), path
            german.close()
            chromium.close()
    finally:
        sink.stop()
