from django.conf import settings
from django.urls import include, path

from portier.accounts import views as accounts_views
from portier.api.api import api

urlpatterns = [
    # Links in e-mails point to PORTIER_BASE_URL, never to whatever Host header came in.
    path(
        "accounts/password_reset/",
        accounts_views.PasswordResetView.as_view(
            extra_email_context={"base_url": settings.PORTIER_BASE_URL}
        ),
        name="password_reset",
    ),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profile/", include("portier.accounts.urls")),
    path("administration/locations/", include("portier.locations.urls")),
    path("administration/emails/", include("portier.invitations.admin_urls")),
    path("administration/", include("portier.companies.urls")),
    path("integrations/", include("portier.integrations.urls")),
    path("visit/", include("portier.invitations.urls")),
    path("sandbox/", include("portier.sandbox.urls")),
    path("contacts/", include("portier.contacts.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portier.visits.urls")),
    path("", include("portier.checkin.urls")),
    path("", include("portier.dashboard.urls")),
]
