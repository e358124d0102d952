"""The moderation queues' counts on the admin index.

The index view is wrapped once, here, to add the counts to its context for people who
may see comments; ``templates/admin/index.html`` shows them in a "Moderation" box. This
keeps Django's default admin site (no subclass to swap in settings) and keeps queries
out of templates and template tags.
"""

from functools import wraps

from django.contrib import admin
from django.http import HttpRequest

from comments.selectors.moderation import moderation_queue_counts


def _with_moderation_counts(index):
    @wraps(index)
    def index_view(request: HttpRequest, extra_context: dict | None = None):
        if request.user.has_perm("comments.view_comment"):
            counts = moderation_queue_counts()
            extra_context = {"moderation_counts": counts, **(extra_context or {})}
        return index(request, extra_context)

    return index_view


admin.site.index = _with_moderation_counts(admin.site.index)
