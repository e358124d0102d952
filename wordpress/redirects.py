"""Old WordPress addresses, answered with a permanent redirect to what the import made.

A WordPress site's readers, search engines and other sites link to its posts by addresses
like ``/?p=123``, ``/?page_id=2``, ``/?cat=5`` or its permalinks (``/2013/01/10/hello/``,
``/about/``, ``/category/parent/child/``). After an import, ``ImportedObject`` knows which
Tribune object each WordPress id and permalink became, and this module sends the reader
there with a 301, so links and search rankings carry over:

- ``old_addresses``, a middleware placed before the full-page cache: a GET of the home page
  (``/`` or ``/index.php``) with one of WordPress's query keys (``QUERY_KINDS``, ``tag``,
  ``author``, ``feed``, ``s``) is answered here, with a redirect or the 404 page, and never
  reaches the view or the page cache (so ``/?p=5`` can never be a cached home page). Any
  other request costs a look at its query string; only a request that ends in a 404 costs a
  query (is its path an imported ``old_path``?).
- ``wordpress.views.comment_redirect``, the view of ``/comments/wp/ID/``: WordPress's
  comment anchors (``#comment-ID``) never reach a server, so the documented address for an
  old comment is this one, which sends the reader to the comment's permalink
  (``/comments/ID/``, which finds its page and anchor).

Only what readers may see is redirected to: an imported draft, a held comment or an author
with no published article answers 404, exactly as its Tribune address would.
"""

from collections.abc import Callable
from urllib.parse import quote, urlencode

from django.core.files.storage import default_storage
from django.db import DatabaseError, models
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.urls import reverse
from django.utils.translation import gettext as _

from blog import selectors as blog_selectors
from blog.models import Tag
from comments import selectors as comment_selectors
from core.params import positive_int
from wordpress.models import ImportedObject

Kind = ImportedObject.Kind

# The paths WordPress answers its query-string addresses on.
HOME_PATHS = frozenset({"/", "/index.php"})
# Query keys that name a WordPress object by id, and the kinds each may name, in the order
# they are tried (``?p=`` names any post type, as in WordPress).
QUERY_KINDS: dict[str, tuple[str, ...]] = {
    "p": (Kind.POST, Kind.PAGE, Kind.ATTACHMENT),
    "page_id": (Kind.PAGE, Kind.POST),
    "attachment_id": (Kind.ATTACHMENT,),
    "cat": (Kind.CATEGORY,),
}
# WordPress's feeds by query (``/?feed=rss2``) and the Tribune feed each one becomes.
FEEDS = {
    "rss2": "blog:feed",
    "rss": "blog:feed",
    "rdf": "blog:feed",
    "atom": "blog:feed_atom",
    "comments-rss2": "comments:feed",
    "comments-atom": "comments:feed",
}
OLD_KEYS = frozenset({*QUERY_KINDS, "tag", "author", "feed", "s"})
SAFE_METHODS = frozenset({"GET", "HEAD"})


def old_addresses(get_response: Callable[[HttpRequest], HttpResponseBase]) -> Callable:
    """The middleware (see the module's docstring)."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if request.method not in SAFE_METHODS:
            return get_response(request)
        if request.path_info in HOME_PATHS and not OLD_KEYS.isdisjoint(request.GET):
            url = query_target(request.GET)
            if url is None:
                raise Http404(_("That old address leads to nothing on this site."))
            return HttpResponsePermanentRedirect(url)
        response = get_response(request)
        if response.status_code == 404:
            try:
                url = old_path_target(request)
            except DatabaseError:
                return response  # the database is away: the 404 stands
            if url is not None:
                return HttpResponsePermanentRedirect(url)
        return response

    return middleware


def query_target(query: QueryDict) -> str | None:
    """Where a WordPress query address (``?p=5``, ``?cat=3``, ``?tag=slug``, ``?author=2``,
    ``?feed=rss2``, ``?s=words``) leads now, or None."""
    for key, kinds in QUERY_KINDS.items():
        if key in query:
            wp_id = positive_int(query[key])
            if wp_id is None:
                return None
            return next((url for kind in kinds if (url := imported_url(kind, str(wp_id)))), None)
    if "tag" in query:
        tag = Tag.objects.filter(slug=query["tag"]).first()
        return tag.get_absolute_url() if tag else None
    if "author" in query:
        return _author_url(query["author"])
    if "feed" in query:
        name = FEEDS.get(query["feed"] or "rss2")
        return reverse(name) if name else None
    if "s" in query:
        return f"{reverse('blog:search')}?{urlencode({'q': query['s']})}"
    return None


def _author_url(raw: str) -> str | None:
    """``?author=ID``: the import keeps an author under their login, with ``/?author=ID``
    (WordPress's numeric id) as their old address."""
    wp_id = positive_int(raw)
    if wp_id is None:
        return None
    login = (
        ImportedObject.objects.filter(kind=Kind.AUTHOR, old_path=f"/?author={wp_id}")
        .values_list("wp_id", flat=True)
        .first()
    )
    return imported_url(Kind.AUTHOR, login) if login is not None else None


def imported_url(kind: str, wp_id: str) -> str | None:
    """The public address of what WordPress object ``wp_id`` of ``kind`` became, or None."""
    return public_url(kind, ImportedObject.objects.target(kind, wp_id))


def old_path_target(request: HttpRequest) -> str | None:
    """The public address of the object whose WordPress permalink is this request's path
    (with its query, or without), or None."""
    row = (
        ImportedObject.objects.filter(old_path__in=_path_forms(request))
        .order_by("pk")
        .values_list("kind", "object_id")
        .first()
    )
    if row is None:
        return None
    kind, object_id = row
    target = ImportedObject.target_model(kind)._default_manager.filter(pk=object_id).first()
    return public_url(kind, target)


def _path_forms(request: HttpRequest) -> set[str]:
    """The ways an importer may have written this path: as Django decoded it, and
    percent-encoded in upper or lower case (WordPress writes non-ASCII slugs in lower)."""
    decoded = request.path
    encoded = quote(decoded, safe="/:@!$&'()*+,;=-._~")
    lower = _lower_escapes(encoded)
    paths = {decoded, encoded, lower}
    query = request.META.get("QUERY_STRING", "")
    if query:
        paths |= {f"{path}?{query}" for path in list(paths)}
    return paths


def _lower_escapes(encoded: str) -> str:
    parts = encoded.split("%")
    return parts[0] + "".join(f"%{part[:2].lower()}{part[2:]}" for part in parts[1:])


def public_url(kind: str, target: models.Model | None) -> str | None:
    """The address readers reach ``target`` at, or None when they may not see it (a draft or
    scheduled post or page, a held comment, an author with nothing published)."""
    if target is None:
        return None
    if kind in (Kind.POST, Kind.PAGE):
        visible = type(target).objects.published().filter(pk=target.pk).exists()
        return target.get_absolute_url() if visible else None
    if kind == Kind.COMMENT:
        shown = comment_selectors.comment_get_shown(pk=target.pk)
        return shown.get_absolute_url() if shown else None
    if kind == Kind.AUTHOR:
        author = blog_selectors.author_get(username=target.username)
        return reverse("blog:author", kwargs={"username": author.username}) if author else None
    if kind == Kind.ATTACHMENT:
        return default_storage.url(target.file.name)
    return target.get_absolute_url()
