from datetime import datetime, time, timedelta
from functools import partial, wraps
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.companies.tenancy import member_required
from portier.lib.errors import DomainError
from portier.sandbox import client, services
from portier.sandbox.forms import LOCAL_INPUT, EventForm
from portier.sandbox.mail import html_for_frame
from portier.sandbox.models import CaughtAttachment, CaughtMail
from portier.sources import registry


def sandbox_required(view):
    """404 unless the sandbox is on; then the usual tenancy check (members only)."""
    checked = member_required(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PORTIER_SANDBOX:
            raise Http404
        return checked(request, *args, **kwargs)

    return wrapped


# -- sandbox calendar -----------------------------------------------------------------------


def _unavailable(request, exc: DomainError | None = None, *, source: str = "google"):
    return render(
        request,
        "sandbox/calendar.html",
        _context(source, unavailable=exc.message if exc else None, events=[]),
        status=200 if exc is None else 503,
    )


def _save(form, zone: ZoneInfo, call) -> bool:
    with timezone.override(zone):
        valid = form.is_valid()
    if not valid:
        return False
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    return True


DEFAULT_SOURCE = "google"


def _source(request) -> str:
    """Which simulated calendar the page edits (``?source=``; Google's by default)."""
    source = request.GET.get("source") or DEFAULT_SOURCE
    if source not in client.SIMULATED:
        raise Http404("no such sandbox calendar")
    return source


def _calendar_url(source: str) -> str:
    url = reverse("sandbox:calendar")
    return url if source == DEFAULT_SOURCE else f"{url}?{urlencode({'source': source})}"


def _context(source: str, **extra):
    tabs = [(s, registry.display_name(s), _calendar_url(s)) for s in client.running_sources()]
    return {
        "source": source,
        "source_name": registry.display_name(source),
        "source_query": "" if source == DEFAULT_SOURCE else f"?{urlencode({'source': source})}",
        "calendar_url": _calendar_url(source),
        "tabs": tabs if len(tabs) > 1 else [],
        **extra,
    }


def _is_connected(user, account: dict, source: str) -> bool:
    return (
        user.connections.filter(provider=source, account_id=account["email"])
        .exclude(status="disconnected")
        .exists()
    )


@sandbox_required
def calendar(request):
    source = _source(request)
    if not client.is_running(source):
        return _unavailable(request, source=source)
    try:
        account, events = services.list_events(request.user, source)
    except DomainError as exc:
        return _unavailable(request, exc, source=source)
    zone = ZoneInfo(account["time_zone"])
    tomorrow = timezone.now().astimezone(zone).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(10, 0))
    initial = {
        "start": start.strftime(LOCAL_INPUT),
        "end": (start + timedelta(hours=1)).strftime(LOCAL_INPUT),
    }
    form = EventForm(request.POST or None, initial=initial)
    create = partial(services.create_event, request.user, source=source)
    if request.method == "POST" and _save(form, zone, create):
        messages.success(request, _("The event is in your sandbox calendar."))
        return redirect(_calendar_url(source))
    context = _context(
        source,
        account=account,
        events=events,
        form=form,
        connected=_is_connected(request.user, account, source),
    )
    return render(request, "sandbox/calendar.html", context)


@sandbox_required
def event_edit(request, event_id):
    source = _source(request)
    if not client.is_running(source):
        return _unavailable(request, source=source)
    try:
        account, event = services.get_event(request.user, event_id, source)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_calendar_url(source))
    zone = ZoneInfo(account["time_zone"])
    if isinstance(event.start, datetime):
        start, end = event.start.strftime(LOCAL_INPUT), event.end.strftime(LOCAL_INPUT)
    else:  # an all-day event made elsewhere: edited as from midnight to midnight
        start, end = f"{event.start}T00:00", f"{event.end}T00:00"
    initial = {
        "title": event.title,
        "start": start,
        "end": end,
        "location": event.location,
        "attendees": "\n".join(event.attendees),
        "weekly": event.weekly,
        "weeks": event.weeks,
    }
    form = EventForm(request.POST or None, initial=initial)
    update = partial(services.update_event, request.user, event_id, source=source)
    if request.method == "POST" and _save(form, zone, update):
        messages.success(request, _("The event is changed in your sandbox calendar."))
        return redirect(_calendar_url(source))
    context = _context(source, account=account, event=event, form=form)
    return render(request, "sandbox/event_edit.html", context)


@require_POST
@sandbox_required
def event_delete(request, event_id):
    source = _source(request)
    try:
        services.delete_event(request.user, event_id, source)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The event is deleted from your sandbox calendar."))
    return redirect(_calendar_url(source))


# -- mail viewer ----------------------------------------------------------------------------


def _visible_mail(request, pk) -> CaughtMail:
    return get_object_or_404(CaughtMail.objects.visible_to(request.user), pk=pk)


@sandbox_required
def mail_list(request):
    mails = CaughtMail.objects.visible_to(request.user).defer("raw", "text", "html")
    mails = mails.prefetch_related("attachments")[:200]
    return render(request, "sandbox/mail_list.html", {"mails": mails})


@sandbox_required
def mail_detail(request, pk):
    mail = _visible_mail(request, pk)
    attachments = list(mail.attachments.all())
    return render(
        request,
        "sandbox/mail_detail.html",
        {"mail": mail, "attachments": attachments, "frame_html": html_for_frame(mail)},
    )


@sandbox_required
def mail_raw(request, pk):
    mail = _visible_mail(request, pk)
    response = HttpResponse(bytes(mail.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="portier-mail-{mail.pk}.eml"'
    return response


@sandbox_required
def mail_attachment(request, pk, attachment_pk):
    attachment = get_object_or_404(
        CaughtAttachment, mail=_visible_mail(request, pk), pk=attachment_pk
    )
    # Images are shown; anything else is downloaded, never rendered as a page of this site.
    inline = attachment.content_type in ("image/png", "image/jpeg", "image/gif")
    kept = inline or attachment.content_type == "text/calendar"
    content_type = attachment.content_type if kept else "application/octet-stream"
    response = HttpResponse(bytes(attachment.data), content_type=content_type)
    name = (attachment.filename or f"part-{attachment.pk}").replace('"', "")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
