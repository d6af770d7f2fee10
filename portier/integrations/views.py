import logging
import secrets

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portier.companies.tenancy import member_required
from portier.integrations import google, services
from portier.integrations.forms import ConnectionSettingsForm
from portier.integrations.models import Calendar, Connection
from portier.lib.errors import DomainError
from portier.lib.ids import id_or_404

log = logging.getLogger(__name__)
SESSION_KEY = "google_oauth"

PROVIDERS = [
    {"slug": "google", "name": gettext_lazy("Google Calendar")},
    {"slug": "microsoft", "name": gettext_lazy("Microsoft Outlook")},
]


def follow_selected_calendars(connection: Connection) -> None:
    """Selected calendars get a push channel and a sync; deselected ones lose their channel."""
    from portier.sync import channels
    from portier.sync.tasks import start_following

    for calendar in connection.calendars.all():
        if calendar.selected and connection.is_active:
            start_following(calendar)
        elif calendar.channel_id:
            channels.close_channel(calendar)


def _own_connection(request, pk) -> Connection:
    return get_object_or_404(Connection.objects.for_user(request.user), pk=pk)


@member_required
def integration_list(request):
    connections = (
        Connection.objects.for_user(request.user)
        .select_related("location")
        .prefetch_related("calendars")
        .order_by("provider", "account_id")
    )
    providers = [
        {
            **p,
            "connections": [c for c in connections if c.provider == p["slug"]],
            "available": p["slug"] == "google" and google.is_configured(),
        }
        for p in PROVIDERS
    ]
    return render(
        request,
        "integrations/list.html",
        {
            "providers": providers,
            "needs_primary_location": request.user.primary_location_id is None,
        },
    )


@member_required
@require_POST
def google_connect(request):
    """Start the OAuth flow: state and PKCE verifier stay in this browser's session."""
    try:
        services.ensure_can_connect(request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("integrations:list")
    if not google.is_configured():
        messages.error(request, _("Google is not configured on this Portier installation."))
        return redirect("integrations:list")
    login_hint = None
    reconnect = request.POST.get("connection")
    if reconnect:
        login_hint = _own_connection(request, id_or_404(reconnect)).account_id
    auth = google.authorization_request(login_hint=login_hint)
    request.session[SESSION_KEY] = {"state": auth.state, "verifier": auth.code_verifier}
    return redirect(auth.url)


@member_required
def google_callback(request):
    pending = request.session.pop(SESSION_KEY, None)
    state = request.GET.get("state", "")
    # Bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    if not pending or not secrets.compare_digest(state.encode(), pending["state"].encode()):
        messages.error(
            request,
            _("The answer from Google did not match a connection you started. Please try again."),
        )
        return redirect("integrations:list")
    error = request.GET.get("error")
    if error:
        if error == "access_denied":
            text = _("You did not grant Portier access to your Google Calendar. Nothing changed.")
        else:
            text = _("Google reported an error (%(error)s). Nothing changed.") % {"error": error}
        messages.error(request, text)
        return redirect("integrations:list")
    code = request.GET.get("code")
    if not code:
        messages.error(request, _("Google sent no authorization code. Please try again."))
        return redirect("integrations:list")
    try:
        connection = services.complete_google_connect(
            user=request.user, code=code, code_verifier=pending["verifier"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("integrations:list")
    follow_selected_calendars(connection)
    messages.success(
        request,
        _("Google Calendar %(account)s is connected.") % {"account": connection.account_id},
    )
    return redirect("integrations:list")


@member_required
def connection_detail(request, pk):
    connection = _own_connection(request, pk)
    form = ConnectionSettingsForm(request.POST or None, connection=connection)
    if request.method == "POST" and form.is_valid():
        services.update_connection_settings(
            connection=connection,
            location=form.cleaned_data["location"],
            selected_calendar_ids=[int(pk) for pk in form.cleaned_data["calendars"]],
        )
        follow_selected_calendars(connection)
        messages.success(request, _("Settings saved."))
        return redirect("integrations:detail", pk=connection.pk)
    return render(request, "integrations/detail.html", {"connection": connection, "form": form})


@member_required
def connection_disconnect(request, pk):
    connection = _own_connection(request, pk)
    if request.method == "POST":
        services.disconnect(connection=connection)
        messages.success(
            request,
            _("%(account)s is disconnected. Appointments already synced stay in Portier.")
            % {"account": connection.account_id},
        )
        return redirect("integrations:list")
    return render(request, "integrations/disconnect.html", {"connection": connection})


@csrf_exempt
@require_POST
def google_notifications(request):
    """Google's push: check the channel, mark the calendar due, answer at once.

    Never calls Google. Unknown, stopped or forged channels get a plain 200 and change
    nothing (an error status would only make Google retry).
    """
    from portier.sync.tasks import request_sync

    headers = request.headers
    channel_id = headers.get("X-Goog-Channel-ID", "")
    token = headers.get("X-Goog-Channel-Token", "")
    resource_id = headers.get("X-Goog-Resource-ID", "")
    state = headers.get("X-Goog-Resource-State", "")
    calendar = (
        Calendar.objects.filter(channel_id=channel_id, connection__provider="google")
        .select_related("connection")
        .first()
        if channel_id
        else None
    )
    if calendar is None or not _channel_matches(calendar, token, resource_id):
        log.info("ignored a Google notification for unknown channel %r", channel_id[:64])
        return HttpResponse(status=200)
    if state == "exists" and calendar.selected and calendar.connection.is_active:
        request_sync(calendar.pk)
    return HttpResponse(status=200)


def _channel_matches(calendar, token: str, resource_id: str) -> bool:
    if not secrets.compare_digest(token.encode(), (calendar.channel_token or "").encode()):
        return False
    # The resource id is stored when watch() returns; the first message may come before.
    stored = calendar.channel_resource_id
    return not stored or secrets.compare_digest(resource_id.encode(), stored.encode())
