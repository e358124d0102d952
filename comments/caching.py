"""How the comments app uses the shared cache: the threads anonymous readers share, each
post's commenters (so a member with no comment on a post needs no query for their own), who
is suspended (likewise), and going on without the cache when it does not answer.

A cached thread is shared by every reader with nothing personal on the page, on every app
instance, so its key carries every input of its HTML:

- the comments, their authors' names and avatars, and the guidelines placeholders cite:
  ``Post.comment_version``, moved in the same transaction by every service that changes
  one of them (the comment services, ``accounts.services.profile``, ``guideline_save``);
- the post's title and comment count (the heading) and its author (the Author badge);
- the settings the thread is drawn with: the maximum depth (Reply links) and the page size;
- the discussion's mode in force (Reply links show while it takes comments) with its
  bounds (``DiscussionMode.key``), which changes with time as well as with writes (a
  scheduled change, the automatic closing), so it is worked out on each request and only
  ever used as part of the key: a key made after a change is a new one;
- the page and the order of its threads (``threads.Order``), and the language and time
  zone its words and times are written in;
- the site's address the request came to (``site_origin``): the schema.org data under the
  list (``comments.structured_data``) gives each comment's absolute address.

The key carries those values themselves (hashed), not the time their row last changed, so
a write that leaves ``updated_at`` alone (a queryset ``update()``) still moves it.

The cache is an accelerator, never a dependency: when it fails (Redis down or too slow),
reads miss, writes are skipped, and pages render uncached (``core.cache``). A write the
cache missed still moves the key, so when the cache returns nothing stale is found.
"""

import hashlib
from collections.abc import Callable

from django.http import HttpRequest
from django.utils import timezone, translation

from blog.models import Post
from comments import selectors
from comments.models import DiscussionSettings
from comments.modes.rules import DiscussionMode
from comments.selectors.follows import post_follower_ids
from comments.selectors.suspensions import SuspendedPeople, suspended_people
from comments.threads import Order
from core.cache import cache_get, cache_set

THREAD_SECONDS = 24 * 60 * 60


def site_origin(request: HttpRequest) -> str:
    """The scheme and host ``request`` came to, as absolute addresses begin."""
    return f"{request.scheme}://{request.get_host()}"


def thread_cache_key(
    *,
    post: Post,
    settings: DiscussionSettings,
    page: int,
    mode: DiscussionMode,
    origin: str,
    order: Order = Order.OLDEST,
) -> str:
    """The shared cache key of comment page ``page`` of ``post``'s thread in ``order`` (see
    the module's docstring for what it is made of and why)."""
    shown = (
        post.title,
        post.author_id,
        post.comment_count,
        settings.max_depth,
        settings.comments_per_page,
        mode.key,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        origin,
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:20]
    return f"comments:thread:{post.pk}:v{post.comment_version}:p{page}:{order}:{digest}"


def thread_html_for(
    *,
    post: Post,
    settings: DiscussionSettings,
    page: int,
    mode: DiscussionMode,
    origin: str,
    is_personal: bool,
    render: Callable[[], str],
    order: Order = Order.OLDEST,
) -> str:
    """Comment page ``page`` of ``post``'s thread in ``order`` as ``render()`` writes it for
    one viewer.

    A viewer who sees something nobody else does (``is_personal``: their own held or still
    editable comments, a moderator's buttons with their CSRF token) gets their own render,
    never stored. Everybody else shares one copy under ``thread_cache_key``, rendered by
    the first of them to ask."""
    if is_personal:
        return render()
    key = thread_cache_key(
        post=post, settings=settings, page=page, mode=mode, origin=origin, order=order
    )
    html = cache_get(key)
    if html is None:
        html = render()
        cache_set(key, html, THREAD_SECONDS)
    return html


def post_commenter_ids_for(*, post: Post) -> frozenset[int]:
    """The members with a comment of any status on ``post`` (``selectors.post_commenter_ids``),
    kept in the shared cache under the post's comment version, which every change to its
    comments moves: a member not among them has nothing of their own on its page."""
    key = f"comments:commenters:{post.pk}:v{post.comment_version}"
    ids = cache_get(key)
    if not isinstance(ids, frozenset):
        ids = selectors.post_commenter_ids(post=post)
        cache_set(key, ids, THREAD_SECONDS)
    return ids


def suspended_people_for(*, version: int) -> SuspendedPeople:
    """Who is suspended (``selectors.suspensions.suspended_people``), kept in the shared cache
    under the shared pages' version ``version`` (``core.pagecache.request_page_version``),
    which every saved suspension moves: a reader not among them is not suspended. When each
    suspension ends is kept with it and compared with the clock on each use."""
    key = f"comments:suspended:v{version}"
    people = cache_get(key)
    if not isinstance(people, SuspendedPeople):
        people = suspended_people()
        cache_set(key, people, THREAD_SECONDS)
    return people


def post_follower_ids_for(*, post: Post, version: int) -> frozenset[int]:
    """The members following ``post`` (``selectors.follows.post_follower_ids``), kept in the
    shared cache under the shared pages' version ``version``, which every follow started or
    stopped moves (they are saved and deleted rows of this app, ``core.receivers``): the
    follow button of a member's page costs no query once it is cached."""
    key = f"comments:followers:{post.pk}:v{version}"
    ids = cache_get(key)
    if not isinstance(ids, frozenset):
        ids = post_follower_ids(post=post)
        cache_set(key, ids, THREAD_SECONDS)
    return ids
