from django.urls import path

from portier.checkin import views

app_name = "checkin"
urlpatterns = [
    path("front-desk/", views.front_desk_index, name="front_desk_index"),
    path("front-desk/<int:location_id>/", views.front_desk, name="front_desk"),
]
