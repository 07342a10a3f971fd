from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "Front end"

    def ready(self) -> None:
        from frontend import checks, roles  # noqa: F401  (registers system checks)

        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="frontend.sync_roles")
