from django.urls import include, path

from vms import api

urlpatterns = [
    path("", include("frontend.urls")),
    path("", include("cameras.urls")),
    path("", include("frontend.layouts.urls")),
    path("", include("ptz.urls")),
    path("", include("events.urls")),
    path("", include("analytics.urls")),
    path("api/", api.urls()),
]
