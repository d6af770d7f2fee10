from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from portier.locations.models import Location
from portier.locations.services import FIELDS
from portier.locations.zones import time_zone_choices, zone_aliases


class TimeZoneSelect(forms.Select):
    """On a new location the browser's zone is preselected (static locations/time-zone.js);
    without script the initial value stays."""

    template_name = "locations/time_zone_select.html"

    def __init__(self, *args, preselect_browser_zone=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.preselect_browser_zone = preselect_browser_zone

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.preselect_browser_zone:
            context["aliases"] = zone_aliases()
        return context


class LocationForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, initial="Europe/Berlin"
    )

    class Meta:
        model = Location
        fields = list(FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "day_ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "house_rules_en": forms.Textarea(attrs={"rows": 4}),
            "house_rules_de": forms.Textarea(attrs={"rows": 4}),
        }

    # Bounds a person can mean: up to a day around a visit; up to ten years of visitor data.
    BOUNDS = {
        "check_in_opens_minutes": (0, 1440),
        "check_in_grace_minutes": (0, 1440),
        "retention_days": (1, 3650),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone_field = self.fields["time_zone"]
        zone_field.choices = time_zone_choices(self.instance.time_zone if self.instance.pk else "")
        zone_field.widget = TimeZoneSelect(
            choices=zone_field.choices, preselect_browser_zone=not self.instance.pk
        )
        for name, (low, high) in self.BOUNDS.items():
            field = self.fields[name]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update({"min": low, "max": high})
        for name in self.KEEP_WHEN_EMPTY:
            self.fields[name].required = False

    # Left empty (or not sent by an older client): the location keeps its value (or default).
    KEEP_WHEN_EMPTY = (
        "check_in_opens_minutes",
        "check_in_grace_minutes",
        "day_ends_at",
        "retention_days",
    )

    def clean(self):
        cleaned = super().clean()
        for name in self.KEEP_WHEN_EMPTY:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().upper() or None

    def _post_clean(self):
        # Validation lives in the services (the API uses them too); skip the model's own.
        pass
