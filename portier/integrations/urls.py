from django.urls import path

from portier.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.integration_list, name="list"),
    path("google/connect/", views.google_connect, name="google_connect"),
    path("google/callback/", views.google_callback, name="google_callback"),
    path("google/notifications/", views.google_notifications, name="google_notifications"),
    path("<int:pk>/", views.connection_detail, name="detail"),
    path("<int:pk>/disconnect/", views.connection_disconnect, name="disconnect"),
]
