"""Moderators act where they read: Hide, Restore, Approve and Spam buttons on the post
page, through the same services as the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from comments import selectors, services
from comments.forms import HideForm
from comments.models import Comment

DONE = {
    "hide": gettext_lazy("Comment hidden. Its Restore button undoes this."),
    "restore": gettext_lazy("Comment restored."),
    "approve": gettext_lazy("Comment approved and published."),
    "spam": gettext_lazy("Comment marked as spam."),
}


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one moderation action to a comment; hiding first asks which guideline."""
    if not services.user_may_moderate(request.user):
        raise PermissionDenied(_("Only moderators can do that."))
    comment = get_object_or_404(Comment.objects.select_related("post", "user"), pk=pk)
    action = request.POST.get("action", "")
    if action not in DONE:
        return HttpResponseBadRequest(_("That isn’t a moderation action."))
    try:
        if action == "hide":
            form = HideForm(request.POST if "guideline" in request.POST else None, as_list=True)
            if not form.is_valid():
                context = {"comment": comment, "form": form}
                status = 400 if form.is_bound else 200
                return render(request, "comments/moderate_hide.html", context, status=status)
            services.comment_hide(
                comment=comment,
                moderator=request.user,
                guideline=form.cleaned_data["guideline"],
                note=form.cleaned_data["note"],
            )
        elif action == "restore":
            services.comment_restore(comment=comment, moderator=request.user)
        elif action == "approve":
            services.comment_approve(comment=comment, moderator=request.user)
        else:
            services.comment_mark_spam(comment=comment, moderator=request.user)
    except services.ModerationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, DONE[action])
    return HttpResponseRedirect(selectors.comment_location(comment=comment))
