"""The discussion block under a post: the thread (cached and shared where it can be), and the
form, which is always rendered per request because it carries the CSRF token."""

import json

from django.conf import settings as django_settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from blog.models import Post
from comments import selectors
from comments.caching import thread_cache_key, thread_html_shared
from comments.forms import CommentForm
from comments.rendering import ListOptions, comment_list_html
from config.params import positive_int

SESSION_KEY = "comments.own"
COMMENTER_COOKIE = "tribune_commenter"
COMMENTER_COOKIE_SALT = "comments.commenter"
COMMENTER_COOKIE_SECONDS = 365 * 24 * 60 * 60
MAX_COMMENT_PAGE = 999_999


def comment_page_from(request: HttpRequest) -> int:
    """The ``?cpage=`` asked for: 1 when absent, a 404 when it is not a page number."""
    page = positive_int(request.GET.get("cpage", "1"), maximum=MAX_COMMENT_PAGE)
    if page is None:
        raise Http404(_("There is no such comment page."))
    return page


def own_comment_ids(request: HttpRequest) -> list[int]:
    """Comments this browser posted that may not be public yet (kept in the session)."""
    if SESSION_KEY not in request.session:
        return []
    return [pk for pk in request.session.get(SESSION_KEY, []) if isinstance(pk, int)]


def remembered_commenter(request: HttpRequest) -> dict:
    """The name and e-mail a guest asked this browser to remember, as form values."""
    try:
        stored = json.loads(request.get_signed_cookie(COMMENTER_COOKIE, salt=COMMENTER_COOKIE_SALT))
        return {"name": str(stored["name"]), "email": str(stored["email"]), "remember": True}
    except (KeyError, TypeError, ValueError, signing.BadSignature):
        return {}


def remember_commenter(response: HttpResponse, *, name: str, email: str, remember: bool) -> None:
    """Keep a guest's name and e-mail in a cookie only when they ticked the box; forget
    them when they did not."""
    if not remember:
        response.delete_cookie(COMMENTER_COOKIE)
        return
    response.set_signed_cookie(
        COMMENTER_COOKIE,
        json.dumps({"name": name, "email": email}),
        salt=COMMENTER_COOKIE_SALT,
        max_age=COMMENTER_COOKIE_SECONDS,
        secure=django_settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remember_own_comment(request: HttpRequest, pk: int) -> None:
    ids = own_comment_ids(request)
    request.session[SESSION_KEY] = [*ids[-49:], pk]


def _render_thread(request, *, post, settings, page, is_open, personal, moderator=False) -> str:
    thread_page = selectors.comment_thread_for_post(
        post=post, settings=settings, page=page, own_ids=personal.ids, moderator=moderator
    )
    if thread_page is None:
        raise Http404(_("There is no such comment page."))
    options = ListOptions(
        is_open=is_open,
        max_depth=settings.max_depth,
        page_number=page,
        editable_ids=personal.editable,
        post_author_id=post.author_id,
        moderator_csrf=get_token(request) if moderator else "",
    )
    context = {
        "post": post,
        "thread_page": thread_page,
        "comment_list": comment_list_html(thread_page.items, options),
    }
    return render_to_string("comments/_thread.html", context)


def discussion_context(
    request: HttpRequest, post: Post, *, form: CommentForm | None = None
) -> dict:
    """Everything the post page needs to show its discussion."""
    settings = selectors.discussion_settings_get()
    page = comment_page_from(request)
    is_open = selectors.post_discussion_is_open(post=post, settings=settings)
    user = request.user if request.user.is_authenticated else None
    personal = selectors.comment_ids_personal_to(
        post=post,
        user=user,
        session_ids=own_comment_ids(request),
    )
    # Only staff can moderate; asking costs two queries, so members are not asked.
    moderator = user is not None and user.is_staff and user.has_perm("comments.change_comment")
    if personal or moderator:
        # This viewer sees something nobody else does: never share or store it.
        thread_html = _render_thread(
            request,
            post=post,
            settings=settings,
            page=page,
            is_open=is_open,
            personal=personal,
            moderator=moderator,
        )
    else:
        thread_html = thread_html_shared(
            key=thread_cache_key(post=post, settings=settings, page=page, is_open=is_open),
            render=lambda: _render_thread(
                request,
                post=post,
                settings=settings,
                page=page,
                is_open=is_open,
                personal=selectors.PersonalComments(),
            ),
        )

    reply_to = None
    reply_to_id = positive_int(request.GET.get("replyto"))
    if is_open and reply_to_id is not None:
        reply_to = selectors.comment_get_reply_target(post=post, pk=reply_to_id)
    needs_confirmation = user is not None and not user.can_comment
    may_comment = (user is not None and not needs_confirmation) or (
        user is None and settings.guests_allowed
    )
    if form is None and is_open and may_comment:
        initial = {"parent": reply_to.pk if reply_to else None}
        if user is not None:
            initial["notify_on_reply"] = user.notify_replies_default
        else:
            initial.update(remembered_commenter(request))
        form = CommentForm(is_guest=user is None, initial=initial)
    return {
        "needs_confirmation": needs_confirmation,
        "thread_html": thread_html,
        "comment_form": form,
        "comments_open": is_open,
        "guests_allowed": settings.guests_allowed,
        "reply_to": reply_to,
        "comment_page": page,
    }
