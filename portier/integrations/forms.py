from django import forms
from django.utils.translation import gettext_lazy as _

from portier.locations.models import Location


class ConnectionSettingsForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Integration location"),
        queryset=Location.objects.none(),
        help_text=_(
            "Appointments from this connection land here unless an event names a location code."
        ),
    )
    calendars = forms.MultipleChoiceField(
        label=_("Calendars to sync"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, connection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.for_company(connection.company)
        self.fields["location"].initial = connection.location_id
        calendars = connection.calendars.filter(removed_at__isnull=True)
        self.fields["calendars"].choices = [(str(c.pk), c.name) for c in calendars]
        self.fields["calendars"].initial = [str(c.pk) for c in calendars if c.selected]
