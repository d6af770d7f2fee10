"""Appointments pages: the list, one appointment, manual invitations, ignored events."""

import zoneinfo
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.companies.tenancy import member_required
from portier.lib.errors import DomainError
from portier.locations.models import Location
from portier.sync.models import SyncLogEntry
from portier.visits import listing, manual
from portier.visits.forms import (
    CONTACTS_LIST_ID,
    AppointmentForm,
    ListFilterForm,
    default_times,
    guest_formset,
    local_input,
    offered_contacts,
    split_name,
)
from portier.visits.models import Appointment, GuestKind
from portier.visits.statuses import guest_statuses, state_of

IGNORED_DAYS = 30


def _visible(request):
    return Appointment.objects.visible_to(request.user)


def _get(request, pk) -> Appointment:
    """Outsiders, and hosts asking for a colleague's appointment, get 404."""
    return get_object_or_404(
        _visible(request).select_related("location", "host", "calendar", "series"), pk=pk
    )


def _user_zone(request):
    location = request.user.primary_location
    return location.zone if location else zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@member_required
def appointment_list(request):
    form = ListFilterForm(request.GET or None, company=request.company)
    filters = form.filters()
    queryset = listing.filtered(_visible(request), zone=_user_zone(request), **filters)
    page = listing.page_of(queryset, now=timezone.now(), number=_page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "query": query.urlencode(),
        "show_host": request.membership.is_admin,
    }
    if request.headers.get("HX-Request"):
        return render(request, "visits/_rows.html", context)
    return render(request, "visits/list.html", context)


def _guest_rows(appointment):
    """Guests with their latest e-mail; colleagues apart; removed guests last."""
    statuses = guest_statuses(appointment)
    guests, colleagues, removed = [], [], []
    for guest in appointment.guests.select_related("visit"):
        if guest.kind == GuestKind.COLLEAGUE:
            if guest.removed_at is None:
                colleagues.append(guest)
            continue
        row = statuses.get(guest.email)
        entry = {
            "guest": guest,
            "mail": row,
            "state": state_of(row.status) if row else "",
        }
        (removed if guest.removed_at else guests).append(entry)
    return guests, colleagues, removed


def _event_link(appointment) -> str:
    """Where the synced event can be opened: in sandbox mode the sandbox calendar (the real
    calendar service does not know a simulated event); nothing once the event is gone (the
    appointment is cancelled)."""
    if appointment.is_cancelled or not appointment.html_link:
        return ""
    if settings.PORTIER_SANDBOX and appointment.is_synced:
        series = appointment.series
        event_id = series.remote_id if series and series.remote_id else appointment.remote_id
        # The sandbox calendar has a tab per simulated source; Google's is the default one.
        query = f"?{urlencode({'source': appointment.source})}" if appointment.source else ""
        return f"{reverse('sandbox:calendar')}{query}#event-{quote(event_id)}"
    return appointment.html_link


@member_required
def appointment_detail(request, pk):
    appointment = _get(request, pk)
    guests, colleagues, removed = _guest_rows(appointment)
    log = list(appointment.sync_log.select_related("calendar")[:100])
    return render(
        request,
        "visits/detail.html",
        {
            "appointment": appointment,
            "guests": guests,
            "colleagues": colleagues,
            "removed": removed,
            "sync_log": log,
            "changeable": manual.is_changeable(appointment),
            "managed_message": manual.managed_message(appointment),
            "calendar_name": manual.calendar_name(appointment),
            "event_link": _event_link(appointment),
        },
    )


def _form_page(request, form, formset, contacts, appointment=None):
    return render(
        request,
        "visits/form.html",
        {
            "form": form,
            "formset": formset,
            "contacts": contacts,
            "contacts_list_id": CONTACTS_LIST_ID,
            "appointment": appointment,
        },
    )


def _put_error(form, formset, exc: DomainError) -> None:
    if exc.field == "guests":
        formset._non_form_errors = formset.error_class([exc.message])
    else:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _preselected_location(request) -> Location | None:
    """The user's primary location, else the company's only one. Its zone places the default
    start: wall-clock time at the location, as the service reads it."""
    if request.user.primary_location is not None:
        return request.user.primary_location
    locations = list(Location.objects.for_company(request.company)[:2])
    return locations[0] if len(locations) == 1 else None


@member_required
def appointment_create(request):
    location = _preselected_location(request)
    zone = location.zone if location else _user_zone(request)
    starts_at, ends_at = default_times(zone)
    initial = {
        "location": location.pk if location else None,
        "host": request.user.pk,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    form = AppointmentForm(request.POST or None, request=request, initial=initial)
    contacts = offered_contacts(request.user)
    formset = guest_formset(data=request.POST or None, company=request.company, contacts=contacts)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            appointment, created = manual.invite(
                company=request.company,
                host=data.get("host") or request.user,
                location=data["location"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                description=data["description"],
                guests=formset.guests(),
                token=data.get("token"),
                created_by=request.user,
            )
        except DomainError as exc:
            _put_error(form, formset, exc)
        else:
            if created:
                messages.success(request, _("Appointment created; the guests are invited."))
            return redirect("visits:detail", appointment.pk)
    return _form_page(request, form, formset, contacts)


def _edit_initial(appointment):
    zone = appointment.location.zone
    guests = [
        g
        for g in appointment.guests.all()
        if g.removed_at is None and g.kind in (GuestKind.GUEST, GuestKind.COLLEAGUE)
    ]
    rows = []
    for guest in guests:
        first, last = split_name(guest.name)
        rows.append({"first_name": first, "last_name": last, "email": guest.email})
    form_initial = {
        "title": appointment.title,
        "location": appointment.location_id,
        "starts_at": local_input(appointment.starts_at, zone).replace(second=0, microsecond=0),
        "ends_at": local_input(appointment.ends_at, zone).replace(second=0, microsecond=0),
        "description": appointment.description,
        "host": appointment.host_id,
    }
    return form_initial, rows, [g.email for g in guests]


def _changed(data, initial, name):
    same = data[name] == initial[name] and data["location"].pk == initial["location"]
    return None if same else data[name]


@member_required
def appointment_edit(request, pk):
    appointment = _get(request, pk)
    if not manual.is_changeable(appointment):
        if appointment.is_synced:
            messages.error(request, manual.managed_message(appointment))
        else:
            messages.error(request, _("This appointment can no longer be changed."))
        return redirect("visits:detail", appointment.pk)
    form_initial, rows, known = _edit_initial(appointment)
    form = AppointmentForm(request.POST or None, request=request, initial=form_initial)
    del form.fields["token"]
    contacts = offered_contacts(request.user)
    formset = guest_formset(
        data=request.POST or None,
        initial=rows,
        known_emails=known,
        company=request.company,
        contacts=contacts,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            manual.change(
                appointment=appointment,
                title=data["title"],
                location=data["location"],
                # An untouched time stays as it was (the input has no seconds).
                starts_at=_changed(data, form_initial, "starts_at"),
                ends_at=_changed(data, form_initial, "ends_at"),
                description=data["description"],
                guests=formset.guests(),
                host=data.get("host"),
            )
        except DomainError as exc:
            _put_error(form, formset, exc)
        else:
            messages.success(request, _("Appointment saved; guests are told what changed."))
            return redirect("visits:detail", appointment.pk)
    return _form_page(request, form, formset, contacts, appointment)


@member_required
@require_POST
def appointment_cancel(request, pk):
    appointment = _get(request, pk)
    try:
        manual.cancel(appointment=appointment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Appointment cancelled; the guests are told."))
    return redirect("visits:detail", appointment.pk)


@member_required
def ignored_events(request):
    """Events of the user's own calendars that carried the marker but sent no invitation."""
    since = timezone.now() - timedelta(days=IGNORED_DAYS)
    entries = (
        SyncLogEntry.objects.for_company(request.company)
        .still_ignored()
        .filter(calendar__connection__user=request.user, created__gte=since)
        .select_related("calendar")[:200]
    )
    return render(request, "visits/ignored.html", {"entries": entries, "days": IGNORED_DAYS})
