from django.urls import path

from portier.checkin import guest_urls, print_views, views

app_name = "checkin"
urlpatterns = [
    path("front-desk/", views.front_desk_index, name="front_desk_index"),
    path("front-desk/<int:location_id>/", views.front_desk, name="front_desk"),
    path("front-desk/<int:location_id>/check-in/", views.check_in, name="check_in"),
    path("front-desk/<int:location_id>/check-out/", views.check_out, name="check_out"),
    path("front-desk/<int:location_id>/left/", views.left_without_checkout, name="left"),
    path("front-desk/<int:location_id>/walk-in/", views.walk_in, name="walk_in"),
    path("front-desk/<int:location_id>/on-site/", print_views.on_site, name="on_site"),
    path("front-desk/<int:location_id>/badge/<int:guest_id>/", print_views.badge, name="badge"),
]
urlpatterns += guest_urls.urlpatterns
