from django.urls import path

from portier.sandbox import views

app_name = "sandbox"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:event_id>/", views.event_edit, name="event_edit"),
    path("calendar/<str:event_id>/delete/", views.event_delete, name="event_delete"),
    path("mail/", views.mail_list, name="mail"),
    path("mail/<int:pk>/", views.mail_detail, name="mail_detail"),
    path("mail/<int:pk>/raw/", views.mail_raw, name="mail_raw"),
    path(
        "mail/<int:pk>/attachments/<int:attachment_pk>/",
        views.mail_attachment,
        name="mail_attachment",
    ),
]
