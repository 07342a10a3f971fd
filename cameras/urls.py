from django.urls import include, path

from cameras import io_views, views

urlpatterns = [
    path("metrics", views.metrics, name="metrics"),
    path("devices/", views.device_list, name="devices"),
    path("devices/add/", views.device_add, name="device_add"),
    path("devices/discover/", views.discovery_start, name="discovery_start"),
    path("devices/discover/<slug:scan_id>/", views.discovery_results, name="discovery_results"),
    path("devices/<int:pk>/", views.device_detail, name="device_detail"),
    path("devices/<int:pk>/credentials/", views.device_credentials, name="device_credentials"),
    path("devices/<int:pk>/mjpeg/", views.device_mjpeg, name="device_mjpeg"),
    path("devices/<int:pk>/sync/", views.device_sync, name="device_sync"),
    path("devices/<int:pk>/delete/", views.device_delete, name="device_delete"),
    path("devices/<int:pk>/io/", io_views.io_page, name="device_io"),
    path("devices/<int:pk>/configure/", include("cameras.configure.urls")),
]
