"""The admin's WordPress import: an uploaded export kept and its import queued. The
background task runs it (``wordpress.runner``)."""

from pathlib import Path
from uuid import uuid4

from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from wordpress.models import WordPressImport
from wordpress.tasks import run_wordpress_import


def wordpress_import_queue(
    *, export: UploadedFile, uploads: UploadedFile | None, is_dry_run: bool, user: User
) -> WordPressImport:
    """Keep ``export`` (and ``uploads``, a zip of its uploads folder) in the private storage
    and queue its import, which starts once the row is committed (at once with the immediate
    backend of development and tests). The files are deleted again if the row cannot be
    saved."""
    storage = storages["private"]
    stem = f"wordpress/{uuid4().hex}"
    names = [storage.save(f"{stem}.xml", export)]
    if uploads:
        names.append(storage.save(f"{stem}-uploads.zip", uploads))
    try:
        with transaction.atomic():
            wordpress_import = WordPressImport.objects.create(
                export_name=names[0],
                uploads_name=names[1] if uploads else "",
                original_name=Path(export.name or "export.xml").name[:255],
                size=export.size or 0,
                is_dry_run=is_dry_run,
                created_by=user,
            )
            pk = wordpress_import.pk
            transaction.on_commit(lambda: run_wordpress_import.enqueue(import_id=pk))
    except BaseException:
        for name in names:
            storage.delete(name)
        raise
    return wordpress_import
