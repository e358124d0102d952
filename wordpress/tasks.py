"""Background work for the WordPress import: an export uploaded in the admin is imported by
a worker, never in the request (``wordpress.runner``)."""

from django.tasks import task

from wordpress.runner import wordpress_import_run


@task
def run_wordpress_import(*, import_id: int) -> str:
    """Import the export of WordPress import ``import_id`` and return how it ended ("done",
    "failed", or "not queued" when it was not waiting)."""
    return wordpress_import_run(import_id=import_id)
