from django.urls import include, path

from vms import api

urlpatterns = [
    path("", include("frontend.urls")),
    path("", include("cameras.urls")),
    path("api/", api.urls()),
]
