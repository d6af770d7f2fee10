from django.urls import path

from portier.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/delete/", views.token_delete, name="token_delete"),
]
