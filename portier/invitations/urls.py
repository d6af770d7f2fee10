from django.urls import path

from portier.invitations import views

app_name = "invitations"
urlpatterns = [
    path("<slug:token>/", views.visit, name="visit"),  # token_urlsafe: letters, digits, - and _
]
