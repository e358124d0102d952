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
