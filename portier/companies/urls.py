from django.urls import path

from portier.companies import views

app_name = "companies"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/role/", views.user_role, name="user_role"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("company/", views.company_settings, name="settings"),
]
