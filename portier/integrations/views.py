import logging
import secrets

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portier.companies.tenancy import member_required
from portier.integrations import push, services
from portier.integrations.forms import ConnectionSettingsForm
from portier.integrations.models import Connection
from portier.lib.errors import DomainError
from portier.lib.ids import id_or_404
from portier.sources import registry
from portier.sources.base import (
    Capability,
    FormFlow,
    OAuthFlow,
    ProviderError,
    Source,
)

log = logging.getLogger(__name__)


def _session_key(slug: str) -> str:
    return f"{slug}_oauth"


def _source_or_404(slug: str) -> Source:
    if not registry.is_registered(slug):
        raise Http404("unknown calendar source")
    return registry.get(slug)


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
    sources = [
        {
            "slug": source.slug,
            "name": source.name,
            "help_text": source.help_text,
            "connections": [c for c in connections if c.provider == source.slug],
            "available": source.is_configured(),
            "redirects": isinstance(source.connect, OAuthFlow),
        }
        for source in registry.all_sources()
    ]
    return render(
        request,
        "integrations/list.html",
        {
            "sources": sources,
            "needs_primary_location": request.user.primary_location_id is None,
        },
    )


@member_required
def connect(request, slug):
    """Start connecting: an OAuth source redirects (state and PKCE verifier stay in this
    browser's session); a form source asks for what it needs."""
    source = _source_or_404(slug)
    flow = source.connect
    if isinstance(flow, OAuthFlow) and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.ensure_can_connect(request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("integrations:list")
    if not source.is_configured():
        messages.error(
            request,
            _("%(source)s is not configured on this Portier installation.")
            % {"source": source.name},
        )
        return redirect("integrations:list")
    if isinstance(flow, FormFlow):
        return _connect_with_form(request, source, flow)
    login_hint = None
    reconnect = request.POST.get("connection")
    if reconnect:
        login_hint = _own_connection(request, id_or_404(reconnect)).account_id
    try:
        # Some providers are asked already (msal reads the authority's OpenID configuration).
        auth = flow.start(redirect_uri=services.callback_url(slug), login_hint=login_hint)
    except ProviderError as exc:
        log.warning("%s connect could not start: %s", slug, exc)
        messages.error(
            request,
            _("%(source)s could not be reached. Please try again later.") % {"source": source.name},
        )
        return redirect("integrations:list")
    request.session[_session_key(slug)] = {"state": auth.state, "verifier": auth.code_verifier}
    return redirect(auth.url)


def _connect_with_form(request, source: Source, flow: FormFlow):
    form = flow.form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            connection = services.connect_with_form(
                user=request.user, slug=source.slug, cleaned_data=form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _connected(request, source, connection)
    return render(request, "integrations/connect_form.html", {"source": source, "form": form})


def _connected(request, source: Source, connection: Connection):
    follow_selected_calendars(connection)
    messages.success(
        request,
        _("%(source)s %(account)s is connected.")
        % {"source": source.name, "account": connection.account_id},
    )
    return redirect("integrations:list")


@member_required
def callback(request, slug):
    source = _source_or_404(slug)
    pending = request.session.pop(_session_key(slug), None)
    state = request.GET.get("state", "")
    # Bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    if not pending or not secrets.compare_digest(state.encode(), pending["state"].encode()):
        messages.error(
            request,
            _(
                "The answer from %(source)s did not match a connection you started. "
                "Please try again."
            )
            % {"source": source.name},
        )
        return redirect("integrations:list")
    error = request.GET.get("error")
    if error:
        if error == "access_denied":
            text = _("You did not grant Portier access to your %(source)s. Nothing changed.") % {
                "source": source.name
            }
        else:
            text = _("%(source)s reported an error (%(error)s). Nothing changed.") % {
                "source": source.name,
                "error": error,
            }
        messages.error(request, text)
        return redirect("integrations:list")
    code = request.GET.get("code")
    if not code:
        messages.error(
            request,
            _("%(source)s sent no authorization code. Please try again.") % {"source": source.name},
        )
        return redirect("integrations:list")
    try:
        connection = services.complete_oauth_connect(
            user=request.user, slug=slug, code=code, code_verifier=pending["verifier"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("integrations:list")
    return _connected(request, source, connection)


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
    source = (
        registry.get(connection.provider) if registry.is_registered(connection.provider) else None
    )
    context = {
        "connection": connection,
        "source": registry.display_name(connection.provider),
        "revokes": source is None or source.supports(Capability.REVOKE),
    }
    return render(request, "integrations/disconnect.html", context)


@csrf_exempt
@require_POST
def notifications(request, slug):
    """A source's push (see push.answer). PushMiddleware answers it before most middleware;
    this view names the address and answers what the middleware passes on (404s, 405s)."""
    _source_or_404(slug)
    source = push.push_source(slug)
    if source is None:
        raise Http404("this source has no push notifications")
    return push.answer(request, source)
