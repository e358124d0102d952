"""Moderators suspend a comment's author where they read, from the comment's controls on
the post page: a confirmation form (how long, which guideline, a note, and whether to
refuse their address and remove everything they have published), through the same service
as the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comments import rules, selectors, services
from comments.forms import SuspendForm
from comments.models import Comment
from comments.selectors.suspensions import suspension_active_for
from comments.services.suspensions import (
    SuspensionRefused,
    person_of_comment,
    person_published_comments,
    suspension_create,
)

TEMPLATE = "comments/suspend.html"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_suspend_author(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks how long and why; POST suspends the author of comment ``pk`` and goes back
    to the comment. Someone already suspended is shown their suspension instead of a form;
    a comment nobody can be suspended for says so."""
    if not services.user_may_moderate(request.user):
        raise PermissionDenied(_("Only moderators can do that."))
    comment = get_object_or_404(Comment.objects.select_related("post", "user"), pk=pk)
    person = person_of_comment(comment)
    context = {"comment": comment, "person": person}
    if person is None:
        context["notice"] = _(
            "Nobody can be suspended for this comment: it was erased, its member closed their "
            "account, or its guest left no e-mail address."
        )
        return render(request, TEMPLATE, context, status=400 if request.method == "POST" else 200)
    current = suspension_active_for(user=person.user, emails=[person.email])
    if current is not None:
        context["current"] = current
        context["current_until"] = (
            rules.suspension_end_words(current.ends_at) if current.ends_at else ""
        )
        return render(request, TEMPLATE, context, status=400 if request.method == "POST" else 200)
    form = SuspendForm(
        request.POST if request.method == "POST" else None,
        as_list=True,
        has_address=bool(person.ip_hash),
    )
    if form.is_valid():
        try:
            done = suspension_create(person=person, moderator=request.user, **form.suspension())
        except SuspensionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, done.summary(person))
            return HttpResponseRedirect(selectors.comment_location(comment=comment))
    context["form"] = form
    context["published"] = person_published_comments(person).count()
    return render(request, TEMPLATE, context, status=400 if form.is_bound else 200)
