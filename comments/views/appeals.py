"""A hidden comment's author appeals against its removal, from the link in the e-mail that
told them about it: no account needed, once per comment."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comments import notifications
from comments.forms import AppealForm
from comments.models import Comment
from comments.services.appeals import AppealRefused, appeal_create, appeal_refusal

TEMPLATE = "comments/appeal.html"


@require_http_methods(["GET", "HEAD", "POST"])
def comment_appeal(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the hidden comment and the appeal form (or how its appeal stands); POST
    sends the appeal and comes back here. An expired, changed or used link, and a second
    appeal, get a page that says so, and nothing is stored."""
    posted = request.method == "POST"
    try:
        comment = notifications.appeal_comment_from_token(token=token)
    except notifications.AppealLinkInvalid as invalid:
        return render(request, TEMPLATE, {"notice": invalid.message}, status=400)
    refusal = appeal_refusal(comment=comment)
    if refusal is not None:
        return _refused(request, comment, refusal, posted=posted)
    form = AppealForm(request.POST if posted else None)
    if form.is_valid():
        try:
            appeal_create(comment=comment, text=form.cleaned_data["text"])
        except AppealRefused as refused:
            if refused.code != "invalid":
                return _refused(request, comment, refused, posted=True)
            form.add_error("text", refused.message)
        else:
            messages.success(request, _("Thank you. Your appeal has been sent to the moderators."))
            return HttpResponseRedirect(request.path)
    context = {"comment": comment, "form": form}
    return render(request, TEMPLATE, context, status=400 if form.is_bound else 200)


def _refused(
    request: HttpRequest, comment: Comment, refusal: AppealRefused, *, posted: bool
) -> HttpResponse:
    """The page without a form: the appeal already sent and how it stands, or why there
    is nothing to appeal. A form sent anyway is answered 400."""
    context = {"comment": comment, "notice": refusal.message}
    if refusal.code == "appealed":
        context["appeal"] = comment.appeal
        if not posted:  # Coming back to see how it stands: that is no refusal.
            context["notice"] = ""
    return render(request, TEMPLATE, context, status=400 if posted else 200)
