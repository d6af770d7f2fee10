from django.urls import path

from portier.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.integration_list, name="list"),
    path("<int:pk>/", views.connection_detail, name="detail"),
    path("<int:pk>/disconnect/", views.connection_disconnect, name="disconnect"),
    # Generic per source (registry slug); Google's addresses are unchanged by this.
    path("<slug:slug>/connect/", views.connect, name="connect"),
    path("<slug:slug>/callback/", views.callback, name="callback"),
    path("<slug:slug>/notifications/", views.notifications, name="notifications"),
]
