"""Following a post's discussion by e-mail: the button under the thread, a guest's
confirmation link, the stop link in each digest, and a member's list of what they follow.
The rules are ``comments.services.follows``'s."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.ratelimit import client_ip
from blog.models import Post
from comments.follows import mail
from comments.follows.models import DiscussionFollow
from comments.forms import FollowForm
from comments.selectors.follows import follow_list_for_user
from comments.services import follows as services
from comments.views.posting import needs_csrf_token
from core.origin import request_is_cross_site

TEMPLATE = "comments/follow.html"


def _published_post(post_id: int) -> Post:
    post = Post.objects.published().filter(pk=post_id).first()
    if post is None:
        raise Http404(_("That article isn’t available."))
    return post


@csrf_exempt
@require_POST
def follow_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """Follow a post's discussion: a member at once, a guest once the link e-mailed to them
    is opened. Checked like a comment (docs/architecture.md, "Guest forms on shared
    pages"): a session or a member gets Django's CSRF check; a guest without a session is
    refused when the browser says the form came from another site."""
    if needs_csrf_token(request):
        return _follow_post_csrf_checked(request, post_id)
    if request_is_cross_site(request):
        context = {"post": Post.objects.published().filter(pk=post_id).first(), "cross_site": True}
        return render(request, TEMPLATE, context, status=403)
    return _follow_post(request, post_id)


def _follow_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _published_post(post_id)
    if request.user.is_authenticated:
        try:
            services.follow_member(post=post, user=request.user)
        except services.FollowRefused as refused:
            return render(request, TEMPLATE, {"post": post, "refused": refused.message}, status=400)
        messages.success(
            request, _("You’re following this discussion: new comments come to you by e-mail.")
        )
        return HttpResponseRedirect(f"{post.get_absolute_url()}#follow")
    form = FollowForm(request.POST)
    if not form.is_valid():
        context = {"post": post, "form": form, "follow_period": mail.digest_period_words()}
        return render(request, TEMPLATE, context, status=400)
    email = form.cleaned_data["email"]
    try:
        services.follow_request(post=post, email=email, ip=client_ip(request))
    except services.FollowRefused as refused:
        status = 429 if refused.code == "too_many" else 400
        context = {"post": post, "form": form, "refused": refused.message}
        return render(request, TEMPLATE, context, status=status)
    return render(request, TEMPLATE, {"post": post, "sent_to": email})


_follow_post_csrf_checked = csrf_protect(_follow_post)


@login_required
@require_POST
def follow_stop_member(request: HttpRequest, post_id: int) -> HttpResponse:
    """A member stops following a post (the "stop" button under the thread, or their list).
    Goes back to ``next`` when it is on this site, else to the article."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        raise Http404(_("That article isn’t available."))
    services.follow_stop_member(post=post, user=request.user)
    messages.success(
        request,
        _("You’ve stopped following “%(title)s”: no more e-mails about it.")
        % {"title": post.title},
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = f"{post.get_absolute_url()}#follow" if post.is_published else reverse("blog:home")
    return HttpResponseRedirect(back)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a guest's confirmation e-mail: GET asks them to confirm (so a mail
    scanner opening links confirms nothing), POST starts the follow."""
    template = "comments/follow_confirm.html"
    period = mail.digest_period_words()
    try:
        asked = mail.follow_request_from_token(token=token)
    except mail.FollowLinkInvalid as invalid:
        return render(request, template, {"invalid_message": invalid.message}, status=400)
    try:
        if request.method == "POST":
            follow = services.follow_confirm(request=asked)
            context = {"post": follow.post, "confirmed": True, "follow_period": period}
            context["stop_url"] = mail.stop_url(follow_id=follow.pk)
            return render(request, template, context)
        post = services.follow_request_post(request=asked)
    except services.FollowRefused as refused:
        return render(request, template, {"invalid_message": refused.message}, status=400)
    context = {"post": post, "email": asked.email, "follow_period": period}
    return render(request, template, context)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_stop(request: HttpRequest, token: str) -> HttpResponse:
    """The stop link in each digest: GET says what will stop, POST stops it. Exempt from
    the CSRF check because the signed link is the proof, and mail programs POST to it with
    one click (RFC 8058, the digest's List-Unsubscribe-Post header)."""
    template = "comments/follow_stop.html"
    try:
        follow_id = mail.follow_id_from_token(token=token)
    except mail.FollowLinkInvalid as invalid:
        return render(request, template, {"invalid_message": invalid.message}, status=400)
    if request.method == "POST":
        follow = services.follow_stop(follow_id=follow_id)
        return render(request, template, {"follow": follow, "stopped": True})
    follow = DiscussionFollow.objects.select_related("post").filter(pk=follow_id).first()
    return render(request, template, {"follow": follow, "token": token})


@never_cache
@login_required
@require_GET
def follow_list(request: HttpRequest) -> HttpResponse:
    """The discussions the member follows, each with a button to stop."""
    follows = follow_list_for_user(user=request.user)
    context = {"follows": follows, "follow_period": mail.digest_period_words()}
    return render(request, "comments/follow_list.html", context)
