from django.urls import path

from portier.visits import views

app_name = "visits"
urlpatterns = [
    path("appointments/", views.appointment_list, name="list"),
    path("appointments/new/", views.appointment_create, name="create"),
    path("appointments/ignored/", views.ignored_events, name="ignored"),
    path("appointments/<int:pk>/", views.appointment_detail, name="detail"),
    path("appointments/<int:pk>/edit/", views.appointment_edit, name="edit"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="cancel"),
]
