from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin app with Tribune's site as the default ``admin.site``."""

    default_site = "config.admin.TribuneAdminSite"

    def ready(self) -> None:
        super().ready()  # loads every app's admin module, django-tasks-db's included
        from config.admin_tasks import register_task_results

        register_task_results(self.module.site)
