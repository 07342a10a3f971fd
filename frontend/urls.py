from django.urls import path

from frontend import user_views, views

urlpatterns = [
    path("", views.live, name="live"),
    path("settings/", views.account, name="settings"),
    path("settings/password/", views.password_change, name="password_change"),
    path("settings/users/", user_views.user_list, name="users"),
    path("settings/users/<int:pk>/", user_views.user_edit, name="user_edit"),
    path("status/", views.status, name="status"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("healthz", views.healthz, name="healthz"),
]
