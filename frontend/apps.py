from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "Front end"

    def ready(self) -> None:
        from django.contrib.auth.models import User

        from frontend import checks, roles, signout  # noqa: F401  (registers system checks)

        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="frontend.sync_roles")
        # Disabling, deleting or a new password signs the user out everywhere (frontend/signout.py).
        pre_save.connect(signout.note_sign_out, sender=User, dispatch_uid="frontend.note_sign_out")
        post_save.connect(
            signout.sign_out_after_save, sender=User, dispatch_uid="frontend.sign_out_saved"
        )
        post_delete.connect(
            signout.sign_out_after_delete, sender=User, dispatch_uid="frontend.sign_out_deleted"
        )
