"""The one model of the bottom layer: the version every shared page is stored under."""

from django.db import models


class PageVersion(models.Model):
    """A single row whose number moves, in the writer's transaction, with every change that
    can show on a page (``core.pagecache.pages_changed``). Shared pages are kept under it, so
    a change is seen by the very next request on every app instance, and a change made
    while the cache was down is not hidden by what the cache held before."""

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "shared page version"

    def __str__(self) -> str:
        return f"shared pages, version {self.number}"
