from django.db import models


class AccountPermissions(models.Model):  # noqa: DJ008  (no rows, no str)
    """Holds the account-management permission that the admin role grants; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("manage_users", "Manage users and their roles")]
