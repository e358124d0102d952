"""Readers report a comment that breaks a guideline."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.ratelimit import client_ip
from comments import discussion, selectors, services
from comments.forms import ReportForm
from comments.models import Comment

TEMPLATE = "comments/report.html"
# How each refusal is answered when the form was sent; anything else is a 400.
REFUSAL_STATUS = {"forbidden": 403, "unverified": 403, "own": 403, "throttled": 429}


@require_http_methods(["GET", "HEAD", "POST"])
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the report form for a published comment (GET) or store the report (POST), then
    go back to the comment with a thank-you. Refusals are explained on the same page."""
    comment = selectors.report_comment_get(pk=pk)
    if comment is None:
        return _notice(request, None, _("That comment isn’t available."), status=404)
    guidelines = selectors.guideline_list()
    posted = request.method == "POST"
    if not guidelines:
        message = _("Reporting opens once the site has published its guidelines.")
        return _notice(request, comment, message, status=400 if posted else 200)
    user = request.user if request.user.is_authenticated else None
    refused = services.report_refusal(comment=comment, user=user)
    if refused is not None:
        status = REFUSAL_STATUS.get(refused.code, 400) if posted else 200
        return _notice(request, comment, refused.message, status=status, code=refused.code)
    initial = {} if user else {"email": discussion.remembered_commenter(request).get("email")}
    form = ReportForm(
        request.POST if posted else None,
        initial=initial,
        guidelines=guidelines,
        is_guest=user is None,
    )
    if not form.is_valid():
        return _form_page(request, comment, form, status=400 if posted else 200)
    try:
        services.report_create(
            comment=comment,
            guideline=form.cleaned_data["guideline"],
            note=form.cleaned_data["note"],
            user=user,
            guest_email=form.cleaned_data.get("email", ""),
            ip=client_ip(request),
        )
    except services.ReportRefused as refusal:
        return _refused(request, comment, form, refusal)
    messages.success(request, _("Thank you. A moderator will review this comment."))
    if comment.status != Comment.Status.PUBLISHED:  # hidden automatically, pending review
        return HttpResponseRedirect(f"{comment.post.get_absolute_url()}#comments")
    return HttpResponseRedirect(comment.get_absolute_url())


def _refused(
    request: HttpRequest, comment: Comment, form: ReportForm, refusal: services.ReportRefused
) -> HttpResponse:
    if refusal.code == "unavailable":
        return _notice(request, None, refusal.message, status=404)
    status = REFUSAL_STATUS.get(refusal.code, 400)
    if refusal.field in form.fields:
        form.add_error(refusal.field, refusal.message)
        return _form_page(request, comment, form, status=status)
    if refusal.code == "throttled":
        form.add_error(None, refusal.message)
        return _form_page(request, comment, form, status=status)
    return _notice(request, comment, refusal.message, status=status, code=refusal.code)


def _form_page(
    request: HttpRequest, comment: Comment, form: ReportForm, *, status: int
) -> HttpResponse:
    return render(request, TEMPLATE, {"comment": comment, "form": form}, status=status)


def _notice(
    request: HttpRequest, comment: Comment | None, message: str, *, status: int, code: str = ""
) -> HttpResponse:
    """The page without a form: why this person can't report this comment (now)."""
    context = {"comment": comment, "notice": message, "code": code}
    return render(request, TEMPLATE, context, status=status)
