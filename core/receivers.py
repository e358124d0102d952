"""Every saved or deleted row of the apps whose data shows on pages moves the shared pages'
version (``core.pagecache``), so no write path can forget to. The services that write with
``update()``, which sends no signal, call ``pages_changed`` themselves, and so does every
``migrate`` (a data migration writes behind the models' backs). A write from a shell with
``update()`` shows within ``PAGE_CACHE_SECONDS``."""

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models import Model

from core.models import PageVersion
from core.pagecache import pages_changed

# Saves that change nothing a page shows.
QUIET_FIELDS = frozenset({"last_login"})


def _shows_on_pages(model: type[Model]) -> bool:
    # A migration's models (another registry) are left alone: the table may not exist yet.
    # A model of those apps whose rows no page shows says so with ``shows_on_pages = False``
    # (an editor's autosave slot, written every few seconds while they type).
    return (
        model._meta.app_label in settings.PAGE_CACHE_APPS
        and model._meta.apps is apps
        and getattr(model, "shows_on_pages", True)
    )


def saved(sender: type[Model], update_fields=None, **kwargs) -> None:
    if _shows_on_pages(sender) and not (update_fields and set(update_fields) <= QUIET_FIELDS):
        pages_changed()


def deleted(sender: type[Model], **kwargs) -> None:
    if _shows_on_pages(sender):
        pages_changed()


def related(sender: type[Model], action: str, **kwargs) -> None:
    # ``sender`` is the table linking the two: a post's categories belong to blog.
    if action.startswith("post_") and _shows_on_pages(sender):
        pages_changed()


def migrated(using: str = "default", **kwargs) -> None:
    connection = connections[using]
    if PageVersion._meta.db_table in connection.introspection.table_names():
        pages_changed()
