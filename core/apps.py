from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import receivers

        post_save.connect(receivers.saved, dispatch_uid="core.pages_changed.save")
        post_delete.connect(receivers.deleted, dispatch_uid="core.pages_changed.delete")
        m2m_changed.connect(receivers.related, dispatch_uid="core.pages_changed.m2m")
        post_migrate.connect(receivers.migrated, sender=self, dispatch_uid="core.pages.migrate")
