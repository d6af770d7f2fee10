from django import forms

from portier.locations.models import Location, time_zone_choices


class LocationForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, initial="Europe/Berlin")

    class Meta:
        model = Location
        fields = ["name", "address", "time_zone", "code", "language"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().upper() or None

    def _post_clean(self):
        # Validation lives in the services (the API uses them too); skip the model's own.
        pass
