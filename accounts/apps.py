from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, using: str = "default", **kwargs) -> None:
    from accounts.roles import sync_role_permissions

    sync_role_permissions(using=using)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Permissions exist only after every app has migrated, so the role
        # groups get theirs here rather than in a data migration. No sender:
        # each app's permissions are created in its own post_migrate, and apps
        # listed after accounts (blog, comments) would otherwise be missed.
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.sync_roles")
