from django.urls import path

from portier.companies import views

app_name = "companies"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/role/", views.user_role, name="user_role"),
    path("company/", views.company_settings, name="settings"),
]
