from django.apps import AppConfig


class PtzConfig(AppConfig):
    name = "ptz"
    verbose_name = "PTZ"
