from django.urls import path

from frontend.layouts import views

urlpatterns = [
    path("live/layout/", views.layout_save, name="live_layout_save"),
    path("live/views/", views.view_save, name="live_view_save"),
    path("live/views/<int:pk>/delete/", views.view_delete, name="live_view_delete"),
]
