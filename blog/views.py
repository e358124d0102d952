"""The pages readers read: thin views over blog.selectors."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition

from blog import selectors
from blog.caching import post_shell_key, post_with_article, visibility_changes_at
from blog.models import Post
from blog.signals import PAGE_SHELL_PART, post_page_context
from core.holes import render_with_holes
from core.pagecache import request_page_version, shared_page
from core.params import positive_int

POSTS_PER_PAGE = 10


def paginate(request: HttpRequest, items: QuerySet, per_page: int = POSTS_PER_PAGE) -> Page:
    """The page of ``items`` asked for by ``?page=N``; a page that does not exist is a 404."""
    number = positive_int(request.GET.get("page") or "1")
    if number is not None:
        try:
            return Paginator(items, per_page).page(number)
        except InvalidPage:
            pass
    raise Http404(_("There is no such page."))


@shared_page
def home(request: HttpRequest) -> HttpResponse:
    """The front page: sticky posts first, then the newest, ten at a time. The first post
    of the first page is the lead story, shown large above the others."""
    visibility_changes_at(request)  # A post going live or leaving changes the page.
    page = paginate(request, selectors.post_list_home())
    posts = list(page.object_list)
    lead = posts.pop(0) if page.number == 1 and posts else None
    return render(request, "blog/home.html", {"page_obj": page, "lead": lead, "posts": posts})


@shared_page
def post_detail(request: HttpRequest, year: str, month: str, day: str, slug: str) -> HttpResponse:
    """One published post with its neighbours (kept rendered, ``blog.caching``), and what the
    apps built on blog add to it through ``post_page_context`` (the discussion)."""
    found = post_with_article(request, year=int(year), month=int(month), day=int(day), slug=slug)
    if found is None:
        raise Http404(_("We can’t find that article."))
    post, article = found
    context = {"post": post, "post_article": article}
    shared_parts = []
    for _receiver, extra in post_page_context.send(sender=Post, request=request, post=post):
        shared_parts.append(extra.pop(PAGE_SHELL_PART, None))
        context.update(extra)
    if getattr(request, "page_shared", False) or None in shared_parts:
        # Kept whole by the full-page cache, or with a personal part outside the holes.
        return render(request, "blog/post_detail.html", context)
    key = post_shell_key(request, request_page_version(request), shared_parts)
    return render_with_holes(request, "blog/post_detail.html", context, key=key)


# What a shared preview answers with, found or not: nobody may keep it (not our page cache,
# which skips views not marked @shared_page, nor any between), index it, or learn its
# address from the Referer of a link followed out of it.
PREVIEW_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def post_preview(request: HttpRequest, token: str) -> HttpResponse:
    """A post not yet published, as a reader without an account will see it, for whoever
    has a live preview link (``blog.models.PreviewLink``). Every link we cannot honour
    (made up, altered, expired, stopped) gets the same polite 404; a post published since
    is sent to its address."""
    link = selectors.preview_link_get_live(token=token)
    if link is None:
        response = render(request, "blog/preview_gone.html", status=404)
    elif link.post.is_published:
        response = redirect(link.post.get_absolute_url())
    else:
        context = {
            "post": link.post,
            "is_preview": True,
            "preview_expires_at": link.expires_at,
        }
        response = render(request, "blog/post_detail.html", context)
    for name, value in PREVIEW_HEADERS.items():
        response[name] = value
    return response


def reader_etag(request: HttpRequest, shown: str) -> str | None:
    """The ETag of a list page whose rows and counts have the digest ``shown``, for this
    reader: the page frame differs for staff and for a signed-in member, and the query
    picks the page. None while one-time messages wait, so the page is drawn to show them."""
    if len(messages.get_messages(request)):
        return None
    return f'"{shown}-{request.user.pk or 0}-{request.GET.urlencode()}"'


NOTES_PER_PAGE = 20


def _notes_page(request: HttpRequest) -> Page:
    # Asked by the ETag and by the view: the count and the rows, fetched once.
    if not hasattr(request, "_blog_notes_page"):
        notes = selectors.post_note_list_public()
        request._blog_notes_page = paginate(request, notes, per_page=NOTES_PER_PAGE)
    return request._blog_notes_page


def _notes_etag(request: HttpRequest) -> str | None:
    page = _notes_page(request)
    shown = selectors.post_note_list_shown_digest(
        page.object_list, page.number, page.paginator.count
    )
    return reader_etag(request, shown)


@shared_page
@condition(etag_func=_notes_etag)
def corrections(request: HttpRequest) -> HttpResponse:
    """/corrections/: every correction, clarification and update readers may see, newest
    first, with its article; two queries (the count and the page). Conditional GETs are
    answered as the archives answer them (``reader_etag``)."""
    visibility_changes_at(request)  # A post going live or leaving changes the list.
    return render(request, "blog/corrections.html", {"page_obj": _notes_page(request)})


@shared_page
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A published page (About, Contact) at /slug/; drafts are not found."""
    page = selectors.page_get_published(slug=slug)
    if page is None:
        raise Http404(_("We can’t find that page."))
    return render(request, "blog/page_detail.html", {"page": page})


@dataclass(frozen=True)
class Archive:
    """One archive page: the posts it lists and what its heading says about them."""

    posts: QuerySet
    context: dict


def _archive_view(find: Callable[..., Archive | None], missing: str) -> Callable:
    """A view for one kind of archive. ``find`` turns the URL's arguments into the archive,
    or None for a 404 that says ``missing``. Conditional GETs are answered with an ETag that
    changes with everything the page shows (``selectors.post_list_shown_digest``) and the
    reader (``reader_etag``)."""

    def found(request: HttpRequest, kwargs: dict) -> Archive | None:
        # Asked by the ETag and by the view: look the archive up once per request.
        if not hasattr(request, "_blog_archive"):
            request._blog_archive = find(**kwargs)
        return request._blog_archive

    def page_of(request: HttpRequest, archive: Archive) -> Page:
        # The ETag is worked out from the page shown: count and rows, fetched once.
        if not hasattr(request, "_blog_archive_page"):
            posts = selectors.post_list_with_last_note(archive.posts)  # "Updated"
            request._blog_archive_page = paginate(request, posts)
        return request._blog_archive_page

    def etag(request: HttpRequest, **kwargs) -> str | None:
        archive = found(request, kwargs)
        if archive is None:
            return None
        page = page_of(request, archive)
        author = archive.context.get("author")
        stamp = selectors.post_list_shown_digest(
            page.object_list,
            page.number,
            page.paginator.count,
            [value for value in archive.context.values() if isinstance(value, str)],
            author.byline_title if author else "",
        )
        return reader_etag(request, stamp)

    @shared_page
    @condition(etag_func=etag)
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        visibility_changes_at(request)  # A post going live or leaving changes the page.
        archive = found(request, kwargs)
        if archive is None:
            raise Http404(missing)
        context = {**archive.context, "page_obj": page_of(request, archive)}
        return render(request, "blog/post_list.html", context)

    return view


def _category(slug: str) -> Archive | None:
    category = selectors.category_get(slug=slug)
    if category is None:
        return None
    return Archive(
        selectors.post_list_published().filter(categories=category),
        {
            "heading": _("Articles in %(name)s") % {"name": category.name},
            "description": category.description,
            "feed_url": category.get_absolute_url() + "feed/",
            "archive_of": category,
        },
    )


def _tag(slug: str) -> Archive | None:
    tag = selectors.tag_get(slug=slug)
    if tag is None:
        return None
    return Archive(
        selectors.post_list_published().filter(tags=tag),
        {
            "heading": _("Articles tagged “%(name)s”") % {"name": tag.name},
            "description": tag.description,
            "archive_of": tag,
        },
    )


def _author(username: str) -> Archive | None:
    author = selectors.author_get(username=username)
    if author is None:
        return None
    return Archive(
        selectors.post_list_by_author(author),
        {
            "heading": _("Articles by %(name)s") % {"name": author.public_name},
            "description": author.bio,
            "author": author,
            "archive_of": author,
        },
    )


def _date_span(year: str, month: str | None = None, day: str | None = None) -> selectors.DateSpan:
    """[start, end) of a year, month or day archive; Http404 for an impossible date."""
    span = selectors.date_span(
        year=int(year),
        month=None if month is None else int(month),
        day=None if day is None else int(day),
    )
    if span is None:
        raise Http404(_("There is no such date."))
    return span


def _dates(year: str, month: str | None = None, day: str | None = None) -> Archive | None:
    start, end = _date_span(year, month, day)
    posts = selectors.post_list_for_day_range(start=start, end=end)
    if not posts.exists():
        return None
    if day:
        heading = _("Articles from %(day)s") % {"day": date_format(start, "j F Y")}
    elif month:
        heading = _("Articles from %(month)s") % {"month": date_format(start, "F Y")}
    else:
        heading = _("Articles from %(year)s") % {"year": start.year}
    return Archive(posts, {"heading": heading})


category_archive = _archive_view(_category, gettext_lazy("There is no such category."))
tag_archive = _archive_view(_tag, gettext_lazy("There is no such tag."))
author_archive = _archive_view(_author, gettext_lazy("There is no such author."))
# Year, month and day archives: the URL gives one, two or three parts of the date.
date_archive = _archive_view(_dates, gettext_lazy("Nothing was published on that date."))


def search(request: HttpRequest) -> HttpResponse:
    """Search published posts; an empty or absurd query gets help, never an error."""
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())
    context: dict = {"query": query}
    if not query:
        context["problem"] = _("Type a word or two to search the articles.")
    elif len(query) > selectors.MAX_QUERY_LENGTH:
        context["problem"] = _(
            "That search is too long. Please use fewer than %(limit)s characters."
        ) % {"limit": selectors.MAX_QUERY_LENGTH}
    elif not selectors.search_terms(query):
        context["problem"] = _("Please search with letters or numbers.")
    else:
        page = paginate(request, selectors.post_search(query=query))
        context["page_obj"] = page
        context["results"] = [
            (post, selectors.search_snippet(post=post, query=query)) for post in page.object_list
        ]
    return render(request, "blog/search.html", context)
