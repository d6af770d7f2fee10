"""Helpers for the invitations tests: appointments in the future, parsing what the sink got."""

import struct
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import zxingcpp

from portier.outbox.models import Notification
from portier.visits.services import GuestInfo, Timing

BERLIN = ZoneInfo("Europe/Berlin")
GUESTS = [
    GuestInfo("ann@example.org", "Ann Arbor"),
    GuestInfo("ben@example.net", "Ben Bauer"),
    GuestInfo("cem@example.com", "Cem Çelik"),
]
GUEST_EMAILS = [g.email for g in GUESTS]


def future(days: int = 5, hour: int = 10, minute: int = 0) -> datetime:
    day = (datetime.now(BERLIN) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def timing(start: datetime, minutes: int = 60) -> Timing:
    return Timing(
        starts_at=start, ends_at=start + timedelta(minutes=minutes), time_zone="Europe/Berlin"
    )


def parts(message):
    """text, html, ics (bytes), {cid: image bytes} of a received message."""
    text = html = ics = None
    images = {}
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain" and text is None:
            text = part.get_content()
        elif kind == "text/html":
            html = part.get_content()
        elif kind == "text/calendar":
            ics = part.get_payload(decode=True)
        elif kind == "image/png":
            images[part["Content-ID"].strip("<>")] = part.get_payload(decode=True)
    return text, html, ics, images


def event_of(ics: bytes):
    calendar = icalendar.Calendar.from_ical(ics)
    return calendar, calendar.events[0]


def decode_png(data: bytes) -> tuple[int, int, bytes]:
    """Grey pixels of a non-interlaced greyscale PNG (what segno writes), pure Python."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert colour == 0 and interlace == 0 and depth in (1, 2, 4, 8)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = (width * depth + 7) // 8
    rows, previous, at = [], bytes(stride), 0
    for _y in range(height):
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - 1] if i else 0
            up, up_left = previous[i], previous[i - 1] if i else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 255
        previous = bytes(line)
        rows.append(previous)
    per_byte, top = 8 // depth, (1 << depth) - 1
    pixels = bytearray()
    for line in rows:
        for x in range(width):
            byte = line[x // per_byte]
            shift = 8 - depth * (x % per_byte + 1)
            pixels.append(((byte >> shift) & top) * 255 // top)
    return width, height, bytes(pixels)


def read_qr(png: bytes) -> str:
    width, height, pixels = decode_png(png)
    found = zxingcpp.read_barcodes(memoryview(pixels).cast("B", (height, width)))
    assert len(found) == 1, found
    return found[0].text


def rows(**filters):
    return list(Notification.objects.filter(**filters).order_by("pk"))


def subject(message) -> str:
    # Django folds an encoded subject onto the next line; the parser keeps that space.
    return str(message["Subject"]).strip()
