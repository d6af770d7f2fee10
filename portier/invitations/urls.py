from django.urls import path

from portier.invitations import views

app_name = "invitations"
urlpatterns = [
    path("<str:token>/", views.visit, name="visit"),
]
