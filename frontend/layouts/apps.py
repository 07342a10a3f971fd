from django.apps import AppConfig


class LayoutsConfig(AppConfig):
    name = "frontend.layouts"
    label = "layouts"
    verbose_name = "Live layouts"
