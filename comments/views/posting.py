from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from accounts.ratelimit import client_ip
from blog.models import Post
from comments import discussion, notifications, selectors, services
from comments.forms import CommentEditForm, CommentForm
from comments.models import Comment
from comments.modes.rules import holds_every_comment
from comments.selectors.modes import post_discussion_get
from core.origin import request_is_cross_site

# Refusals answered with the 403 page and their message, rather than the form again.
REFUSED_OUTRIGHT = ("closed", "forbidden", "unverified", "suspended")


@csrf_exempt
@require_POST
def comment_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """Post a comment or a reply; on success go to it, otherwise show the form with errors.

    A guest's form on a page from the shared page cache carries no CSRF token (a token is
    one person's), so this view checks for itself (docs/architecture.md, "Guest forms on
    shared pages"): a request with a session, or signed in, gets Django's full CSRF check;
    a guest without a session is refused when the browser says the form was sent from
    another site, and otherwise goes on to the form's own checks."""
    if needs_csrf_token(request):
        return _comment_post_csrf_checked(request, post_id)
    if request_is_cross_site(request):
        return _cross_site_refused(request, post_id)
    return _comment_post(request, post_id)


def needs_csrf_token(request: HttpRequest) -> bool:
    """Whether a comment must carry a CSRF token: it comes with a session, which a forged
    request would ride on, or from someone signed in. Pages shown to such people are never
    shared, so theirs always hold a token."""
    return django_settings.SESSION_COOKIE_NAME in request.COOKIES or request.user.is_authenticated


def _cross_site_refused(request: HttpRequest, post_id: int) -> HttpResponse:
    post = Post.objects.published().filter(pk=post_id).first()
    return render(request, "comments/comment_cross_site.html", {"post": post}, status=403)


def _comment_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.published(), pk=post_id)
    user = request.user if request.user.is_authenticated else None
    form = CommentForm(request.POST, is_guest=user is None)
    if not form.is_valid():
        return _form_again(request, post, form)
    data = form.cleaned_data
    try:
        comment = services.comment_create(
            post=post,
            body=data["body"],
            user=user,
            guest_name=data.get("name", ""),
            guest_email=data.get("email", ""),
            parent_id=data["parent"],
            notify_on_reply=data["notify_on_reply"],
            form_key=data["form_key"],
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            remembered_email=_remembered_email(request, user),
        )
    except services.CommentRefused as refused:
        if refused.code in REFUSED_OUTRIGHT:
            raise PermissionDenied(refused.message) from None
        # A hidden field's error would not show, so the parent's goes at the top.
        visible = refused.field in form.fields and refused.field != "parent"
        form.add_error(refused.field if visible else None, refused.message)
        return _form_again(request, post, form)
    if comment.status != Comment.Status.PUBLISHED:
        discussion.remember_own_comment(request, comment.pk)
    response = HttpResponseRedirect(selectors.comment_location(comment=comment))
    if user is None:
        discussion.remember_commenter(
            response, name=data["name"], email=data["email"], remember=data["remember"]
        )
    return response


_comment_post_csrf_checked = csrf_protect(_comment_post)


def _remembered_email(request: HttpRequest, user) -> str:
    """The address a guest's browser remembers for them (a suspension covers it too)."""
    return "" if user else discussion.remembered_commenter(request).get("email", "")


def _form_again(request: HttpRequest, post: Post, form: CommentForm) -> HttpResponse:
    form.refresh_token()
    parent_id = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    reply_to = selectors.comment_get_reply_target(post=post, pk=parent_id) if parent_id else None
    _settings, mode = post_discussion_get(post=post, now=timezone.now())
    context = {
        "post": post,
        "comment_form": form,
        "reply_to": reply_to,
        "held_discussion": holds_every_comment(mode),
    }
    return render(request, "comments/comment_form.html", context, status=400)


def comment_unsaved(request: HttpRequest, *, status: int) -> HttpResponse:
    """The page for a comment that could not be posted (the database did not answer, or
    anything else failed): the writer's own words, to copy or send again as they were.

    Called by the site's error handler (``config.views.server_error``), so it reads only
    what was sent: no database, no session, no signed-in user. The form keeps the sent
    token, so if the comment was stored after all, sending it again does not post it
    twice. The way back is the page the form was sent from, when that is this site's."""
    sent = request.POST
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    # Everything the form sends but the text, to go back as it came (checkboxes only when
    # they were ticked); unknown names are left out.
    fields = ("name", "email", "parent", "token", "website", "notify_on_reply", "remember")
    context = {
        "action": request.path,
        "body": sent.get("body", ""),
        "sent": {name: sent[name] for name in fields if name in sent},
        "back": back,
        "unavailable": status == 503,
        "csrf_token": get_token(request),
        "request_id": getattr(request, "request_id", ""),
    }
    html = loader.get_template("comments/comment_unsaved.html").render(context)
    return HttpResponse(html, status=status)


def comment_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a comment's permanent link to the page and anchor where it is shown, in the
    order ``?order=`` asks for (oldest first, the default, for anything else)."""
    comment = selectors.comment_get_shown(pk=pk)
    if comment is None:
        raise Http404(_("That comment isn’t available."))
    order = discussion.comment_order_from(request)
    return HttpResponseRedirect(selectors.comment_location(comment=comment, order=order))


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A member corrects their own comment during the first minutes after posting it."""
    comment = get_object_or_404(Comment.objects.select_related("post", "user"), pk=pk)
    if not services.comment_can_edit(comment=comment, user=request.user):
        raise PermissionDenied(
            _("You can only edit your own comment, within %(n)s minutes of posting it.")
            % {"n": django_settings.COMMENT_EDIT_MINUTES}
        )
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except services.CommentRefused as refused:
            if refused.code == "suspended":
                raise PermissionDenied(refused.message) from None
            form.add_error("body" if refused.field == "body" else None, refused.message)
        else:
            messages.success(request, _("Your comment has been updated."))
            return HttpResponseRedirect(selectors.comment_location(comment=comment))
    status = 400 if form.is_bound else 200
    context = {
        "comment": comment,
        "form": form,
        "edit_minutes": django_settings.COMMENT_EDIT_MINUTES,
    }
    return render(request, "comments/comment_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def comment_unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the e-mails a signed link from a notification names, without signing in: GET
    says what will stop, POST stops it. A link we did not sign gets a 400 page saying so."""
    template = "comments/unsubscribe.html"
    try:
        subscription = notifications.subscription_from_token(token=token)
    except notifications.UnsubscribeLinkInvalid as invalid:
        return render(request, template, {"invalid_message": invalid.message}, status=400)
    stopped = request.method == "POST"
    if stopped:
        services.subscription_stop(subscription=subscription)
    return render(request, template, {"subscription": subscription, "stopped": stopped})
