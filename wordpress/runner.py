"""Running a WordPress import uploaded in the admin, from its background task.

The import itself (``wordpress.importer.import_wordpress``) is one database transaction, so
nothing it writes, progress included, is visible before it ends. Its live progress goes to
the cache under the import's id instead (``import_progress_key``), where the progress page
reads it (``wordpress.selectors``); the row gets only the outcome, written after the
import's transaction. Live progress needs the cache the web processes share (Redis) when a
separate worker runs the task; without it the page shows the status alone until the end.
"""

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from pathlib import Path

from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import cache_set
from wordpress.importer import import_wordpress
from wordpress.models import WordPressImport
from wordpress.selectors import import_progress_key
from wordpress.summary import Progress
from wordpress.uploads_zip import UploadsZipError, unpack_uploads_zip
from wordpress.wxr import WXRError

logger = logging.getLogger(__name__)

# Long enough for the slowest import to be watched to its end.
PROGRESS_SECONDS = 24 * 60 * 60


def wordpress_import_run(*, import_id: int) -> str:
    """Import the export of queued import ``import_id`` and record how it ended: "done" with
    its summary, or "failed" with a sentence saying why (nothing imported then: the importer
    rolls back). The stored export is deleted either way. An import that is not waiting
    (gone, or already taken by another run of the task) is left alone."""
    claimed = WordPressImport.objects.filter(
        pk=import_id, status=WordPressImport.Status.QUEUED
    ).update(status=WordPressImport.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return "not queued"
    wordpress_import = WordPressImport.objects.get(pk=import_id)
    outcome: dict = {"status": WordPressImport.Status.FAILED}
    try:
        with ExitStack() as scratch:
            path = scratch.enter_context(_local_copy(wordpress_import.export_name))
            media_dir = None
            if wordpress_import.uploads_name:
                media_dir = scratch.enter_context(_unpacked(wordpress_import.uploads_name))
            summary = import_wordpress(
                path,
                media_dir=media_dir,
                dry_run=wordpress_import.is_dry_run,
                progress=_progress_keeper(import_id),
            )
    except (WXRError, UploadsZipError) as error:
        outcome["error"] = _("%(why)s Nothing was imported.") % {"why": error.message}
    except Exception:
        logger.exception("The WordPress import %s failed.", import_id)
        outcome["error"] = _(
            "The import stopped on an error of ours, so nothing was imported. The details "
            "are in the site's log; please try again, or tell the site's developers."
        )
    else:
        outcome = {"status": WordPressImport.Status.DONE, "summary": summary.as_dict()}
    finally:
        for name in (wordpress_import.export_name, wordpress_import.uploads_name):
            if name:
                storages["private"].delete(name)
    WordPressImport.objects.filter(pk=import_id).update(
        **outcome, export_name="", uploads_name="", finished_at=timezone.now()
    )
    return outcome["status"]


def _progress_keeper(import_id: int) -> Callable[[Progress], None]:
    """What the importer calls with its progress (a few times a second at most, as it
    promises): kept in the cache for the progress page."""
    key = import_progress_key(import_id)

    def keep(progress: Progress) -> None:
        cache_set(key, asdict(progress), PROGRESS_SECONDS)

    return keep


@contextmanager
def _local_copy(name: str) -> Iterator[Path]:
    """The stored file ``name`` as a file on this machine: the storage's own path when it
    keeps files on disk, else a temporary copy, removed afterwards."""
    storage = storages["private"]
    try:
        local = Path(storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with (
        tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy,
        storage.open(name) as stored,
    ):
        shutil.copyfileobj(stored, copy)
        copy.flush()
        yield Path(copy.name)


@contextmanager
def _unpacked(name: str) -> Iterator[Path]:
    """The stored zip of the uploads folder ``name``, unpacked in a temporary folder that is
    removed afterwards, whatever happens; the uploads folder in it."""
    with (
        _local_copy(name) as path,
        path.open("rb") as zip_file,
        tempfile.TemporaryDirectory(prefix="tribune-wordpress-uploads-") as folder,
    ):
        yield unpack_uploads_zip(zip_file, Path(folder))
