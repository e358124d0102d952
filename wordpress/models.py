"""What an import brought over from WordPress, so a second run finds it again.

One row per WordPress object the import made something from: re-imports look the object up
here (no duplicates, and an unchanged digest means nothing to do), and the old WordPress
addresses are redirected through ``old_path`` and the WordPress ids.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The Tribune model each kind maps to, as "app_label.Model" (looked up lazily: blog.Page is
# written by another part of the import, and the user model is a setting).
_TARGET_MODELS = {
    "category": "blog.Category",
    "tag": "blog.Tag",
    "post": "blog.Post",
    "page": "blog.Page",
    "attachment": "blog.Image",
    "comment": "comments.Comment",
}


class ImportedObjectQuerySet(models.QuerySet):
    def target(self, kind: str, wp_id: str) -> models.Model | None:
        """The Tribune object made from WordPress object ``wp_id`` of ``kind``, or None when
        it was never imported or has been deleted since."""
        row = self.filter(kind=kind, wp_id=str(wp_id)).values_list("object_id", flat=True)
        object_id = row.first()
        if object_id is None:
            return None
        return ImportedObject.target_model(kind)._default_manager.filter(pk=object_id).first()


class ImportedObject(models.Model):
    """What an import made from one WordPress object: re-imports find it here (no duplicates),
    and old WordPress addresses are redirected through it."""

    class Kind(models.TextChoices):
        AUTHOR = "author", _("author")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")
        POST = "post", _("post")
        PAGE = "page", _("page")
        ATTACHMENT = "attachment", _("attachment")
        COMMENT = "comment", _("comment")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # author_login for authors, term_id for terms, post_id for posts, pages and attachments,
    # comment_id for comments.
    wp_id = models.CharField(_("WordPress id"), max_length=200)
    object_id = models.PositiveBigIntegerField(_("Tribune id"))
    # Path (and ?query) of the WordPress permalink: "/2013/01/10/hello/", "/about/".
    old_path = models.CharField(_("old address"), max_length=500, blank=True, db_index=True)
    # sha256 of the fields imported; the same digest on a re-import means nothing changed.
    digest = models.CharField(_("digest"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    objects = ImportedObjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("imported WordPress object")
        verbose_name_plural = _("imported WordPress objects")
        constraints = [
            models.UniqueConstraint(fields=["kind", "wp_id"], name="wordpress_imported_kind_wp_id")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.wp_id}"

    @staticmethod
    def target_model(kind: str) -> type[models.Model]:
        """The Tribune model objects of ``kind`` are imported as."""
        if kind == ImportedObject.Kind.AUTHOR:
            return apps.get_model(settings.AUTH_USER_MODEL)
        return apps.get_model(_TARGET_MODELS[kind])


class WordPressImport(models.Model):
    """One WordPress export uploaded in the admin and imported by a background task.

    The file waits in the private storage (``storages["private"]``, never served) under
    ``export_name`` (a zip of the uploads folder sent with it under ``uploads_name``) until
    the task has run, then is deleted: it holds commenters' e-mail and IP addresses. Names
    rather than FileFields, so the storage is looked up when a file is used, as the settings
    say then. The import itself is one transaction, so its live progress is kept in the
    cache (``wordpress.runner``), and only the outcome is written here.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("importing")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    export_name = models.CharField(_("stored as"), max_length=255, blank=True)
    # A zip of the wp-content/uploads folder sent with it, if any, kept and deleted the same.
    uploads_name = models.CharField(_("uploads stored as"), max_length=255, blank=True)
    original_name = models.CharField(_("file"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    is_dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    # ImportSummary.as_dict() once it has finished.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # A sentence for people: why it failed.
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="wordpress_imports",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
