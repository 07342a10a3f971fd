from django.urls import path

from frontend import login, user_views, views

urlpatterns = [
    path("", views.live, name="live"),
    path("settings/", views.account, name="settings"),
    path("settings/password/", views.password_change, name="password_change"),
    path("settings/users/", user_views.user_list, name="users"),
    path("settings/users/<int:pk>/", user_views.user_edit, name="user_edit"),
    path("settings/users/<int:pk>/delete/", user_views.user_delete, name="user_delete"),
    path("status/", views.status, name="status"),
    path("login/", login.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("healthz", views.healthz, name="healthz"),
]
