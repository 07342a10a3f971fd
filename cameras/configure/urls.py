from django.urls import path

from analytics import views as analytics_views
from cameras.configure import imaging_views, overlay_views, views
from ptz import config_views as ptz_views
from ptz import tour_views

# Under devices/<int:pk>/configure/
urlpatterns = [
    path("", views.profiles, name="configure_profiles"),
    path("profiles/<str:token>/", views.profile, name="configure_profile"),
    path("changes/", views.changes, name="configure_changes"),
    path("sources/<str:source>/mode/", views.source_mode, name="configure_source_mode"),
    path("overlays/", overlay_views.overlays_page, name="configure_overlays"),
    path("imaging/", imaging_views.imaging_page, name="configure_imaging"),
    path("ptz/", ptz_views.ptz_page, name="configure_ptz"),
    path("tours/", tour_views.tours_page, name="configure_tours"),
    path("analytics/", analytics_views.analytics_page, name="configure_analytics"),
    path("<str:kind>/", views.configurations, name="configure_kind"),
    path("<str:kind>/<str:token>/", views.configuration, name="configure_configuration"),
]
