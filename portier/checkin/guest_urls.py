"""visit-guest's routes of the checkin app (included by checkin/urls.py): the kiosk, its
administration, the visitor log."""

from django.urls import path

from portier.checkin import kiosk_admin_views, kiosk_views, log_views

urlpatterns = [
    path("kiosk/<str:secret>/", kiosk_views.kiosk, name="kiosk"),
    path(
        "administration/locations/<int:pk>/kiosks/",
        kiosk_admin_views.kiosk_list,
        name="kiosks",
    ),
    path(
        "administration/locations/<int:pk>/kiosks/<int:kiosk_id>/revoke/",
        kiosk_admin_views.kiosk_revoke,
        name="kiosk_revoke",
    ),
    path("visitor-log/", log_views.visitor_log_page, name="visitor_log"),
    path("visitor-log.csv", log_views.visitor_log_csv, name="visitor_log_csv"),
]
