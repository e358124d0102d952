"""What the admin's import progress page and its JSON show of a WordPress import."""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.cache import cache_get
from wordpress.models import WordPressImport


def import_progress_key(import_id: int) -> str:
    """The cache key under which the task running import ``import_id`` keeps its live
    progress (``wordpress.runner``) for the progress page to read."""
    return f"wordpress:import:{import_id}:progress"


@dataclass
class ImportState:
    """Where an import has got to: its status in a sentence for the live region, the bytes
    read of the file, and the objects counted so far (from the cache while it runs)."""

    status: str
    status_label: str
    message: str
    is_finished: bool
    done_bytes: int
    total_bytes: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_failed(self) -> bool:
        return self.status == WordPressImport.Status.FAILED

    @property
    def bytes_label(self) -> str:
        return _("%(done)s of %(total)s read") % {
            "done": filesizeformat(self.done_bytes),
            "total": filesizeformat(self.total_bytes),
        }

    def as_dict(self) -> dict:
        """The state as the progress page's script reads it."""
        return {
            "status": self.status,
            "status_label": self.status_label,
            "message": self.message,
            "is_finished": self.is_finished,
            "done_bytes": self.done_bytes,
            "total_bytes": self.total_bytes,
            "bytes_label": self.bytes_label,
            "counts": self.counts,
        }


def wordpress_import_state(wordpress_import: WordPressImport) -> ImportState:
    """The state of ``wordpress_import``: from its row once finished, with the live progress
    from the cache while it runs (nothing there yet, or the cache down: none read so far)."""
    Status = WordPressImport.Status
    total = wordpress_import.size
    done, counts = 0, {}
    if wordpress_import.status == Status.RUNNING:
        progress = cache_get(import_progress_key(wordpress_import.pk)) or {}
        total = progress.get("total_bytes") or total
        done = min(progress.get("done_bytes", 0), total)
        counts = progress.get("counts", {})
    elif wordpress_import.is_finished:
        done = total
    return ImportState(
        status=wordpress_import.status,
        status_label=wordpress_import.get_status_display(),
        message=_status_message(wordpress_import),
        is_finished=wordpress_import.is_finished,
        done_bytes=done,
        total_bytes=total,
        counts=counts,
    )


def _status_message(wordpress_import: WordPressImport) -> str:
    Status = WordPressImport.Status
    dry = wordpress_import.is_dry_run
    match wordpress_import.status:
        case Status.QUEUED:
            return _("Waiting for the import to start.")
        case Status.RUNNING:
            return _("Reading the export (a dry run).") if dry else _("Importing.")
        case Status.DONE if dry:
            return _("The dry run has finished: nothing was stored. Below is what it would do.")
        case Status.DONE:
            return _("The import has finished. The summary is below.")
        case Status.FAILED:
            return _("The import failed. %(why)s") % {"why": wordpress_import.error}
    return wordpress_import.get_status_display()


@dataclass
class SummaryRow:
    kind: str
    created: int
    updated: int
    unchanged: int
    skipped: int


@dataclass
class SummaryTable:
    """A finished import's summary (``ImportSummary.as_dict()``) as the page shows it: a row
    per kind of object with its counts, then each object skipped and why."""

    rows: list[SummaryRow]
    skipped: list[dict]


def import_summary_table(summary: dict) -> SummaryTable:
    """``summary`` as rows, kinds in the order the import meets them; empty before the end."""
    columns = ("created", "updated", "unchanged")
    skipped = list(summary.get("skipped") or [])
    kinds = list(
        dict.fromkeys(
            [kind for column in columns for kind in (summary.get(column) or {})]
            + [item.get("kind", "") for item in skipped]
        )
    )
    rows = [
        SummaryRow(
            kind=kind,
            created=(summary.get("created") or {}).get(kind, 0),
            updated=(summary.get("updated") or {}).get(kind, 0),
            unchanged=(summary.get("unchanged") or {}).get(kind, 0),
            skipped=sum(1 for item in skipped if item.get("kind") == kind),
        )
        for kind in kinds
    ]
    return SummaryTable(rows=rows, skipped=skipped)


def wordpress_export_filename() -> str:
    """The name an export downloaded from the admin is saved under: the site and the day."""
    site = slugify(settings.SITE_NAME) or "tribune"
    return f"{site}-wordpress-{timezone.localdate():%Y-%m-%d}.xml"
