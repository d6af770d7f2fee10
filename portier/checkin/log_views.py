"""The visitor log page and its CSV export (reception and admins; hosts 403, outsiders 404)."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portier.checkin import visitor_log
from portier.checkin.access import front_desk_locations, front_desk_required
from portier.checkin.models import RetentionRun

PER_PAGE = 100


class LogFilterForm(forms.Form):
    location = forms.ModelChoiceField(label=_("Location"), queryset=None, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = front_desk_locations(user)
        self.fields["location"].empty_label = _("All locations")


def _filtered(request):
    """(form, period, location) from the query string; 404 for a location not the user's."""
    location_id = request.GET.get("location")
    form = LogFilterForm(request.GET or None, user=request.user)
    if location_id and not front_desk_locations(request.user).filter(pk=location_id).exists():
        raise Http404  # another company's (or not your desk's) location: nothing to say
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = visitor_log.local_today(
        [data["location"]] if data.get("location") else front_desk_locations(request.user)
    )
    try:
        period = visitor_log.Period.of(data.get("start"), data.get("end"), today=today)
    except visitor_log.LogRefused as exc:
        form.add_error("end" if exc.field == "to" else "start", exc.message)
        period = visitor_log.Period.of(None, None, today=today)
    return form, period, data.get("location")


@front_desk_required
def visitor_log_page(request):
    form, period, location = _filtered(request)
    queryset = visitor_log.visits(user=request.user, period=period, location=location)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "checkin/visitor_log.html",
        {
            "form": form,
            "period": period,
            "page": page,
            "entries": visitor_log.entries(page.object_list),
            "query": query.urlencode(),
            "erasures": RetentionRun.objects.filter(
                location__in=[location] if location else front_desk_locations(request.user)
            ).select_related("location")[:5],
        },
    )


@front_desk_required
def visitor_log_csv(request):
    _form, period, location = _filtered(request)
    queryset = visitor_log.visits(user=request.user, period=period, location=location)
    body = visitor_log.to_csv(visitor_log.entries(queryset))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"visitor-log-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
