"""Why the sync did something, as a code and parameters, said in the reader's language.

The sync runs in a worker whose language is nobody's, so the log stores a reason code and its
parameters (`SyncLogEntry.code`, `.params`) and the sentence is made when a page shows it.
Field names never reach a reader: changed fingerprint keys are said as words.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

EVENT_DELETED = "event_deleted"
OCCURRENCE_CANCELLED = "occurrence_cancelled"
MARKER_REMOVED = "marker_removed"
OUTSIDE_ORGANIZER = "outside_organizer"
IN_THE_PAST = "in_the_past"
NO_OUTSIDE_GUESTS = "no_outside_guests"
UNKNOWN_CODE = "unknown_code"  # params: code
CHANGED = "changed"  # params: fields (fingerprint keys), added, removed (counts)
UNREADABLE = "unreadable"  # params: detail (the provider's parse error)
RELEASED = "released"  # params: code, location
INVITED = "invited"  # params: count
UPDATE_SENT = "update_sent"  # params: count
CANCELLATION_SENT = "cancellation_sent"  # params: count

# What a guest sees, by fingerprint key, in words (several keys can make one word: "time").
FIELD_WORDS = {
    "title": gettext_lazy("title"),
    "starts_at": gettext_lazy("time"),
    "ends_at": gettext_lazy("time"),
    "all_day": gettext_lazy("time"),
    "start_date": gettext_lazy("time"),
    "end_date": gettext_lazy("time"),
    "time_zone": gettext_lazy("time zone"),
    "location_id": gettext_lazy("place"),
    "location_name": gettext_lazy("place"),
    "location_address": gettext_lazy("place"),
    "location_text": gettext_lazy("room or details of the place"),
    "description": gettext_lazy("description"),
}


def _fields(keys) -> str:
    words = []
    for key in keys or ():
        word = str(FIELD_WORDS.get(key, _("other details")))
        if word not in words:
            words.append(word)
    return ", ".join(words)


def _changed(params: dict) -> str:
    parts = []
    fields = _fields(params.get("fields"))
    if fields:
        parts.append(_("Changed: %(fields)s.") % {"fields": fields})
    added, removed = int(params.get("added") or 0), int(params.get("removed") or 0)
    if added:
        parts.append(ngettext("%(n)d guest added.", "%(n)d guests added.", added) % {"n": added})
    if removed:
        parts.append(
            ngettext("%(n)d guest removed.", "%(n)d guests removed.", removed) % {"n": removed}
        )
    return " ".join(parts) or _("The event changed; nothing a guest sees.")


def sentence(code: str, params: dict | None = None) -> str:
    """The reason as a sentence in the active language ('' for no code)."""
    params = params or {}
    count = int(params.get("count") or 0)
    simple = {
        EVENT_DELETED: _("The event was deleted from the calendar."),
        OCCURRENCE_CANCELLED: _("This date of the recurring event was cancelled."),
        MARKER_REMOVED: _("The invitation address was removed from the event."),
        OUTSIDE_ORGANIZER: _(
            "The event was organized outside your company, so Portier writes to no one."
        ),
        IN_THE_PAST: _("The event is in the past."),
        NO_OUTSIDE_GUESTS: _("The event has no guests from outside the company."),
    }
    if code in simple:
        return simple[code]
    if code == UNKNOWN_CODE:
        return _(
            "The location code %(code)s matches none of your locations; no guest is e-mailed "
            "until the event names a valid code."
        ) % {"code": params.get("code", "")}
    if code == CHANGED:
        return _changed(params)
    if code == UNREADABLE:
        return _("The calendar's data for this event could not be read (%(detail)s).") % {
            "detail": params.get("detail", "")
        }
    if code == RELEASED:
        return _("The location code was corrected; the visit is at %(location)s.") % {
            "location": params.get("location", "")
        }
    if code == INVITED:
        return ngettext(
            "An invitation goes out to %(n)d guest.", "Invitations go out to %(n)d guests.", count
        ) % {"n": count}
    if code == UPDATE_SENT:
        return ngettext(
            "An update goes out to %(n)d guest.", "Updates go out to %(n)d guests.", count
        ) % {"n": count}
    if code == CANCELLATION_SENT:
        return ngettext(
            "A cancellation goes out to %(n)d guest.",
            "Cancellations go out to %(n)d guests.",
            count,
        ) % {"n": count}
    return ""


# Reasons stored as text before codes existed (English and German, by the worker's language).
_LEGACY = {
    "event deleted": EVENT_DELETED,
    "Termin gelöscht": EVENT_DELETED,
    "occurrence cancelled": OCCURRENCE_CANCELLED,
    "invitation address removed from the event": MARKER_REMOVED,
    "organized outside your company": OUTSIDE_ORGANIZER,
    "außerhalb Ihrer Firma organisiert": OUTSIDE_ORGANIZER,
    "the event is in the past": IN_THE_PAST,
    "the event has no guests from outside the company": NO_OUTSIDE_GUESTS,
    "Einzeltermin abgesagt": OCCURRENCE_CANCELLED,
    "Einladungsadresse aus dem Termin entfernt": MARKER_REMOVED,
    "der Termin liegt in der Vergangenheit": IN_THE_PAST,
    "der Termin hat keine Gäste von außerhalb des Unternehmens": NO_OUTSIDE_GUESTS,
}
_LEGACY_EXTRA = {
    "guests added": "added",
    "guests removed": "removed",
    "Gäste hinzugefügt": "added",
    "Gäste entfernt": "removed",
}


def from_legacy(text: str) -> tuple[str, dict] | None:
    """The code of a reason stored as text by an older version, if it is one we wrote."""
    text = (text or "").strip()
    if text in _LEGACY:
        return _LEGACY[text], {}
    for prefix in ("unknown location code ", "unbekannter Standortcode "):
        if text.startswith(prefix) and " " not in text[len(prefix) :]:
            return UNKNOWN_CODE, {"code": text[len(prefix) :]}
    if text.startswith("unreadable event data: "):
        return UNREADABLE, {"detail": text.removeprefix("unreadable event data: ")}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if parts and all(p in FIELD_WORDS or p in _LEGACY_EXTRA for p in parts):
        params: dict[str, object] = {"fields": [p for p in parts if p in FIELD_WORDS]}
        for part in parts:
            if part in _LEGACY_EXTRA:
                params[_LEGACY_EXTRA[part]] = 1
        return CHANGED, params
    return None
