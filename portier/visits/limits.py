"""How big an appointment, a list and a page may be: the one place the API schemas, the HTML
forms and the services read their limits from.

Bounded input keeps every version row, e-mail and page small, and keeps numbers the database
cannot hold away from it (a 40-digit offset is a 422, not a 500).
"""

# Ids, offsets and page numbers stay at or below what a bigint column holds.
from portier.lib.ids import DB_INT_MAX  # noqa: F401

# The model's column (Appointment.title is a CharField of this length).
TITLE_MAX_LENGTH = 300
# Manual appointments' description: it goes into each invitation and each version row.
DESCRIPTION_MAX_LENGTH = 5_000
GUESTS_MAX = 50  # per appointment, after removing duplicates; colleagues count too
GUEST_NAME_MAX_LENGTH = 200  # Guest.name
GUEST_NAME_PART_MAX_LENGTH = 100  # first or last name, as the form asks for them
EMAIL_MAX_LENGTH = 320  # Guest.email (RFC 5321: 64 + @ + 255)
# A location's address (a text column without a length of its own).
ADDRESS_MAX_LENGTH = 1_000

# Lists in the API: `limit` defaults to PAGE_SIZE and may not exceed PAGE_SIZE_MAX.
PAGE_SIZE = 100
PAGE_SIZE_MAX = 200
# The front desk shows this many guests a page.
FRONT_DESK_PAGE_SIZE = 50
