from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from portier.locations.models import Location, time_zone_choices


class LocationForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, initial="Europe/Berlin")

    class Meta:
        model = Location
        fields = [
            "name",
            "address",
            "time_zone",
            "code",
            "language",
            "check_in_opens_minutes",
            "check_in_grace_minutes",
            "day_ends_at",
            "requires_preregistration",
            "house_rules_en",
            "house_rules_de",
            "retention_days",
        ]
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
