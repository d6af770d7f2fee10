"""The front desk: today's guests at one location (in the location's time zone), checking them
in and out by code, QR code or name, the end-of-day list, and walk-ins."""

from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.checkin import services, states, walk_ins
from portier.checkin.access import desk_location, front_desk_locations, front_desk_required
from portier.checkin.forms import CheckOutAtForm, CodeForm, SearchForm, WalkInForm
from portier.checkin.models import Via, Visit
from portier.lib import dates
from portier.lib.errors import DomainError
from portier.visits import limits
from portier.visits.models import Guest, GuestKind


@front_desk_required
def front_desk_index(request):
    """The user's primary location, or a choice when there is none."""
    locations = front_desk_locations(request.user)
    primary = request.user.primary_location
    if primary is not None and locations.filter(pk=primary.pk).exists():
        return redirect("checkin:front_desk", primary.pk)
    if len(locations) == 1:
        return redirect("checkin:front_desk", locations[0].pk)
    return render(request, "checkin/front_desk_index.html", {"locations": locations})


def todays_guests(location, day, query: str = ""):
    """The day's guests with their appointment's state (cancelled and held ones too)."""
    guests = Guest.objects.expected_at(location, day, include_called_off=True).select_related(
        "visit"
    )
    for word in query.split()[:5]:
        guests = guests.filter(
            Q(name__icontains=word)
            | Q(email__icontains=word)
            | Q(company_name__icontains=word)
            | Q(appointment__host__name__icontains=word)
            | Q(appointment__host__email__icontains=word)
            | Q(appointment__title__icontains=word)
        )
    return guests


def _rows(guests):
    return [{"guest": g, "state": states.visit_state(g)} for g in guests]


@front_desk_required
def front_desk(request, location_id):
    location = desk_location(request, location_id)
    now = timezone.now()
    day = timezone.localdate(now, timezone=location.zone)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(todays_guests(location, day, query), limits.FRONT_DESK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    just = _just_done(request, location)
    context = {
        "location": location,
        "day": day,
        "now": now,
        "search": search,
        "query": query,
        "page": page,
        "rows": _rows(page.object_list),
        "query_string": urlencode({"q": query}) if query else "",
        "on_site_count": Visit.objects.on_site(location).count(),
        "left_over": list(states.never_checked_out(location, now=now)),
        "just": just,
        "code_form": CodeForm(),
        "locations": front_desk_locations(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "checkin/_front_desk_rows.html", context)
    return render(request, "checkin/front_desk.html", context)


def _just_done(request, location):
    """The guest just checked in or out (?guest=<id>), shown on top with a badge link."""
    guest_id = request.GET.get("guest", "")
    if not guest_id.isdigit():
        return None
    guest = _company_guest(request, guest_id, raise_404=False)
    if guest is None or guest.appointment.location_id != location.pk:
        return None
    return {"guest": guest, "state": states.visit_state(guest)}


def _company_guest(request, guest_id, *, raise_404=True):
    guest = (
        Guest.objects.filter(
            pk=guest_id, appointment__company=request.company, kind=GuestKind.GUEST
        )
        .select_related("appointment__location", "appointment__host")
        .first()
    )
    if guest is None and raise_404:
        raise Http404
    return guest


def _desk_url(location, guest=None) -> str:
    url = reverse("checkin:front_desk", args=[location.pk])
    return f"{url}?{urlencode({'guest': guest.pk})}" if guest is not None else url


def _guest_from_post(request):
    """The guest named by a row's button (guest id) or by a typed or scanned code."""
    if request.POST.get("guest", "").isdigit():
        return _company_guest(request, request.POST["guest"])
    form = CodeForm(request.POST)
    if not form.is_valid():
        raise services.UnknownCode(_("Type or scan a check-in code."))
    return services.find_guest(request.company, form.cleaned_data["code"])


def _name(guest) -> str:
    if guest.company_name:
        return f"{guest.name or guest.email} ({guest.company_name})"
    return guest.name or guest.email


@require_POST
@front_desk_required
def check_in(request, location_id):
    location = desk_location(request, location_id)
    try:
        guest = _guest_from_post(request)
        _visit, new = services.check_in(guest, location=location, via=Via.DESK, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_desk_url(location))
    host = guest.appointment.host
    if new:
        messages.success(
            request,
            _("%(guest)s is checked in; %(host)s has been told.")
            % {"guest": _name(guest), "host": host.name or host.email},
        )
    else:
        messages.info(request, _("%(guest)s was already checked in.") % {"guest": _name(guest)})
    return redirect(_desk_url(location, guest))


@require_POST
@front_desk_required
def check_out(request, location_id):
    location = desk_location(request, location_id)
    try:
        guest = _guest_from_post(request)
        at = _left_at(request, location, guest) if "time" in request.POST else None
        visit = services.check_out(guest, via=Via.DESK, by=request.user, at=at, location=location)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_desk_url(location))
    when = timezone.localtime(visit.checked_out_at, location.zone)
    messages.success(
        request,
        _("%(guest)s is checked out (%(time)s).")
        % {"guest": _name(guest), "time": dates.time(when)},
    )
    return redirect(_desk_url(location, guest))


def _left_at(request, location, guest) -> datetime:
    """The real time a guest left, typed on the end-of-day list: on the day of the check-in,
    by the location's clock."""
    form = CheckOutAtForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Give the time the guest left, for example 17:30."))
    visit = services.ensure_checked_in(guest)
    visit_day = timezone.localdate(visit.checked_in_at, location.zone)
    return datetime.combine(visit_day, form.cleaned_data["time"], location.zone)


@require_POST
@front_desk_required
def left_without_checkout(request, location_id):
    location = desk_location(request, location_id)
    guest = _company_guest(request, request.POST.get("guest", ""))
    try:
        services.mark_left_without_checkout(guest, location=location)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(guest)s is marked as left without check-out.") % {"guest": _name(guest)}
        )
    return redirect(_desk_url(location))


@front_desk_required
def walk_in(request, location_id):
    location = desk_location(request, location_id)
    form = WalkInForm(request.POST or None, company=request.company)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guest, _visit = walk_ins.register(
                location=location,
                host=data["host"],
                name=data["name"],
                company_name=data["company_name"],
                email=data["email"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            host = guest.appointment.host
            messages.success(
                request,
                _("%(guest)s is checked in; %(host)s has been told.")
                % {"guest": _name(guest), "host": host.name or host.email},
            )
            return redirect(_desk_url(location, guest))
    return render(request, "checkin/walk_in.html", {"location": location, "form": form})
