"""Admin pages of the invitations app, under /administration/emails/."""

from django.urls import path

from portier.invitations import views

app_name = "emails"
urlpatterns = [
    path("", views.email_previews, name="previews"),
    path("<slug:kind>/<slug:language>/", views.email_preview, name="preview"),
]
