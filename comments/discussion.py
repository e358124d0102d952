"""The discussion block under a post: the thread (cached and shared where it can be), and the
form, which is always rendered per request because it carries the CSRF token."""

import json
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from blog.models import Post
from blog.signals import PAGE_SHELL_PART
from comments import selectors, services
from comments.caching import (
    post_commenter_ids_for,
    post_follower_ids_for,
    site_origin,
    suspended_people_for,
    thread_cache_key,
    thread_html_for,
)
from comments.follows.mail import digest_period_words
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings
from comments.modes.rules import DiscussionMode, Mode, holds_every_comment
from comments.modes.wording import mode_notice
from comments.rendering import ListOptions, comment_list_html
from comments.selectors.modes import post_discussion_get
from comments.selectors.suspensions import suspension_active_for, suspension_notice
from comments.structured_data import thread_page_data
from comments.threads import Order
from core.holes import LazyHTML
from core.jsonld import json_ld_script
from core.pagecache import page_changes_at, request_page_version
from core.params import positive_int

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


def comment_order_from(request: HttpRequest) -> Order:
    """The order ``?order=`` asks for; oldest first (the default) for anything else."""
    return Order.parse(request.GET.get("order"))


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


@dataclass(frozen=True)
class Viewer:
    """Who is reading the post page, as far as its discussion is concerned."""

    user: User | None
    # Their own comments that they see differently from everybody else.
    personal: selectors.PersonalComments
    is_moderator: bool

    @property
    def sees_own_thread(self) -> bool:
        """Whether the thread this viewer sees is theirs alone (see ``thread_html_for``)."""
        return bool(self.personal) or self.is_moderator


def viewer_from(request: HttpRequest, post: Post) -> Viewer:
    """The viewer of ``post``'s discussion: signed in or not, their own comments (a guest's
    are known by the session), whether they moderate. One query, three for staff; none for
    a member with no comment on ``post`` once its commenters are cached."""
    user = request.user if request.user.is_authenticated else None
    session_ids = own_comment_ids(request)
    personal = selectors.comment_ids_personal_to(
        post=post,
        user=user,
        session_ids=session_ids,
        commenter_ids=post_commenter_ids_for(post=post) if user and not session_ids else None,
    )
    return Viewer(user=user, personal=personal, is_moderator=services.user_may_moderate(user))


def reply_target_from(request: HttpRequest, post: Post) -> Comment | None:
    """The comment ``?replyto=`` asks to answer: a published comment of ``post``, else None."""
    reply_to_id = positive_int(request.GET.get("replyto"))
    if reply_to_id is None:
        return None
    return selectors.comment_get_reply_target(post=post, pk=reply_to_id)


def _newest_href(thread_page: selectors.ThreadPage) -> str:
    """Where "Go to the newest comment" leads: its anchor when it is on this page, else its
    permalink, which finds its page (in this page's order)."""
    if thread_page.newest_id is None:
        return ""
    if thread_page.newest_is_here:
        return f"#comment-{thread_page.newest_id}"
    query = f"?{thread_page.order.param}" if thread_page.order.param else ""
    return reverse("comments:permalink", args=[thread_page.newest_id]) + query


def _render_thread(
    request: HttpRequest,
    *,
    post: Post,
    settings: DiscussionSettings,
    page: int,
    order: Order,
    mode: DiscussionMode,
    viewer: Viewer,
) -> str:
    thread_page = selectors.comment_thread_for_post(
        post=post,
        settings=settings,
        page=page,
        own_ids=viewer.personal.ids,
        moderator=viewer.is_moderator,
        order=order,
    )
    if thread_page is None:
        raise Http404(_("There is no such comment page."))
    options = ListOptions(
        is_open=mode.accepts_comments,
        max_depth=settings.max_depth,
        page_number=page,
        order=order,
        editable_ids=viewer.personal.editable,
        post_author_id=post.author_id,
        moderator_csrf=get_token(request) if viewer.is_moderator else "",
    )
    context = {
        "post": post,
        "thread_page": thread_page,
        "newest_href": _newest_href(thread_page),
        "comment_list": comment_list_html(thread_page.items, options),
    }
    html = render_to_string("comments/_thread.html", context)
    # The page's comments as schema.org data, in the same cached fragment as the list.
    data = thread_page_data(thread_page, post=post, request=request)
    return html if data is None else html + json_ld_script(data)


def _blank_form(
    request: HttpRequest, *, user: User | None, reply_to: Comment | None
) -> CommentForm:
    initial = {"parent": reply_to.pk if reply_to else None}
    if user is not None:
        initial["notify_on_reply"] = user.notify_replies_default
    else:
        initial.update(remembered_commenter(request))
    return CommentForm(is_guest=user is None, initial=initial)


def suspension_notice_for(request: HttpRequest, user: User | None) -> str:
    """What a suspended reader is told where the comment form would be, or "": a member is
    known by their account, a guest only by the address their browser remembers for them.
    Never for a page the shared page cache may keep (``request.page_shared``), which holds
    nothing of one person. No query for a reader nobody suspended once the list of
    suspended people is cached (``caching.suspended_people_for``)."""
    if getattr(request, "page_shared", False):
        return ""
    emails = () if user is not None else (remembered_commenter(request).get("email", ""),)
    if user is None and not emails[0]:
        return ""
    people = suspended_people_for(version=request_page_version(request))
    if not people.cover(user=user, emails=emails, now=timezone.now()):
        return ""
    suspension = suspension_active_for(user=user, emails=emails)
    return suspension_notice(suspension) if suspension is not None else ""


def follow_control_for(
    request: HttpRequest, post: Post, user: User | None, *, is_open: bool
) -> str:
    """Which follow-by-e-mail control the reader gets under the thread: ``"guest"`` (an
    address to confirm), ``"member"`` (one click), ``"following"`` (a member who follows:
    stop), or "" (a closed discussion, which there is no point following, or a member whose
    address is not confirmed). A member's is theirs alone, so it is drawn in the form's hole
    (``comments/_respond.html``), never in a shared page; no query once the post's followers
    are cached under the pages' version (``caching.post_follower_ids_for``)."""
    if user is None:
        return "guest" if is_open else ""
    if user.pk in post_follower_ids_for(post=post, version=request_page_version(request)):
        return "following"
    return "member" if is_open and user.can_comment else ""


def discussion_context(
    request: HttpRequest, post: Post, *, form: CommentForm | None = None
) -> dict:
    """Everything the post page needs to show its discussion: the thread (shared and cached
    unless this viewer sees something of their own), the mode in force with the line
    readers see about it, and the form, made for each request because it carries the CSRF
    token; ``form`` is one sent back with errors. A guest gets no form in a discussion for
    members only, nobody in a closed one.

    The page changes by itself when the mode does: the page cache is told when
    (``page_changes_at``) and the thread's key carries the mode."""
    now = timezone.now()
    settings, mode = post_discussion_get(post=post, now=now)
    page_changes_at(request, mode.until)
    page = comment_page_from(request)
    order = comment_order_from(request)
    viewer = viewer_from(request, post)
    origin = site_origin(request)
    thread_html = LazyHTML(
        lambda: thread_html_for(
            post=post,
            settings=settings,
            page=page,
            order=order,
            mode=mode,
            origin=origin,
            is_personal=viewer.sees_own_thread,
            render=lambda: _render_thread(
                request,
                post=post,
                settings=settings,
                page=page,
                order=order,
                mode=mode,
                viewer=viewer,
            ),
        )
    )
    is_open = mode.accepts_comments
    members_only = mode.mode == Mode.MEMBERS and viewer.user is None
    reply_to = reply_target_from(request, post) if is_open else None
    refusal = services.commenter_refusal(user=viewer.user, settings=settings)
    suspended = suspension_notice_for(request, viewer.user) if is_open and refusal is None else ""
    if form is None and is_open and not members_only and refusal is None and not suspended:
        form = _blank_form(request, user=viewer.user, reply_to=reply_to)
    return {
        "needs_confirmation": refusal is not None and refusal.code == "unverified",
        "suspension_notice": suspended,
        "thread_html": thread_html,
        "comment_form": form,
        "comments_open": is_open,
        "members_only": members_only,
        "held_discussion": holds_every_comment(mode),
        "discussion_notice": mode_notice(mode, now),
        "guests_allowed": settings.guests_allowed,
        "reply_to": reply_to,
        "comment_page": page,
        "follow_control": follow_control_for(request, post, viewer.user, is_open=is_open),
        "follow_period": digest_period_words(),
        # What the shared part of the page depends on, for its shell (``core.holes``): the
        # shared thread's key; None when this viewer's thread is their own.
        PAGE_SHELL_PART: None
        if viewer.sees_own_thread
        else thread_cache_key(
            post=post, settings=settings, page=page, mode=mode, origin=origin, order=order
        ),
    }
