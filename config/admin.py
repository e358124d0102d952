"""Tribune's admin site: Django's own, titled for the newsroom, with the moderation queues'
counts on its index for people who may see comments, the posts waiting for review for
editors (a contributor's own, for contributors), and the e-mails that could not be sent
for superusers (``templates/admin/index.html`` shows them). It is the default site through
``config.apps.AdminConfig``, so ``admin.site`` and every ``@admin.register`` use it."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from blog.models import Post
from blog.rules import posts_visible_to, user_may_publish, user_writes_own_posts_only
from blog.selectors import review_counts
from comments.selectors.moderation import moderation_queue_counts

FAILED_TASKS_SHOWN_DAYS = 7


class TribuneAdminSite(admin.AdminSite):
    site_header = _("Tribune administration")
    site_title = _("Tribune admin")
    index_title = _("Newsroom and moderation")

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        extra_context = dict(extra_context or {})
        if request.user.has_perm("comments.view_comment"):
            # Two queries, for moderators only; the template runs none.
            extra_context["moderation_counts"] = moderation_queue_counts()
        user = request.user
        if user_may_publish(user) or user_writes_own_posts_only(user):
            # One query: all posts for editors, their own for contributors.
            extra_context["review_counts"] = review_counts(
                posts=posts_visible_to(user, Post.objects.all())
            )
            extra_context["review_own_posts"] = user_writes_own_posts_only(user)
        if request.user.is_superuser:
            # E-mails given up on this past week (core.mail), for the people who may see them.
            since = timezone.now() - timedelta(days=FAILED_TASKS_SHOWN_DAYS)
            failed = DBTaskResult.objects.failed().filter(finished_at__gte=since).count()
            extra_context["failed_tasks"] = {"count": failed, "days": FAILED_TASKS_SHOWN_DAYS}
        return super().index(request, extra_context)

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        """Every admin page, as Django guards it, refusing two inputs Django's own pages
        answer with a 500: an empty ``?_to_field=`` (the change and delete pages look up a
        field named "") and a selected row whose id is no id (the changelist's actions)."""
        guarded = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)

        @wraps(guarded)
        def refusing_malformed_input(request: HttpRequest, *args, **kwargs):
            if request.GET.get(TO_FIELD_VAR) == "" or request.POST.get(TO_FIELD_VAR) == "":
                # Answered as Django answers a field it does not allow.
                raise DisallowedModelAdminToField("An empty _to_field names no field.")
            if isinstance(model_admin, admin.ModelAdmin) and request.method == "POST":
                pk = model_admin.model._meta.pk
                try:
                    for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                        pk.run_validators(pk.to_python(value))  # the type, then the range
                except ValidationError:
                    raise BadRequest("A selected row's id is not an id.") from None
            return guarded(request, *args, **kwargs)

        return refusing_malformed_input
