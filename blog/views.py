"""The pages readers read: thin views over blog.selectors."""

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from blog import selectors
from comments.discussion import discussion_context
from config.params import positive_int

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


def _page_etag(posts_for: Callable[..., QuerySet | None]) -> Callable:
    """Answer conditional GETs: the ETag changes with the posts listed and the reader.

    The reader is part of it because the page frame differs for staff and for a
    signed-in member; pending one-time messages switch it off so they are shown.
    """

    def etag(request: HttpRequest, **kwargs) -> str | None:
        if len(messages.get_messages(request)):
            return None
        posts = posts_for(**kwargs)
        if posts is None:
            return None
        stamp = selectors.post_list_fingerprint(posts)
        return f'"{stamp}-{request.user.pk or 0}-{request.GET.urlencode()}"'

    return condition(etag_func=etag)


def _render_list(request: HttpRequest, posts: QuerySet, context: dict) -> HttpResponse:
    page = paginate(request, posts)
    return render(request, "blog/post_list.html", {**context, "page_obj": page})


def home(request: HttpRequest) -> HttpResponse:
    """The front page: sticky posts first, then the newest, ten at a time."""
    page = paginate(request, selectors.post_list_home())
    return render(request, "blog/home.html", {"page_obj": page})


def post_detail(request: HttpRequest, year: str, month: str, day: str, slug: str) -> HttpResponse:
    """One published post with its neighbours."""
    post = selectors.post_get_published(year=int(year), month=int(month), day=int(day), slug=slug)
    if post is None:
        raise Http404(_("We can’t find that article."))
    previous_post, next_post = selectors.post_adjacent(post=post)
    return render(
        request,
        "blog/post_detail.html",
        {
            "post": post,
            "previous_post": previous_post,
            "next_post": next_post,
            **discussion_context(request, post),
        },
    )


def _category_posts(slug: str) -> QuerySet | None:
    category = selectors.category_get(slug=slug)
    return None if category is None else selectors.post_list_published().filter(categories=category)


@_page_etag(_category_posts)
def category_archive(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_get(slug=slug)
    if category is None:
        raise Http404(_("There is no such category."))
    posts = selectors.post_list_published().filter(categories=category)
    return _render_list(
        request,
        posts,
        {
            "heading": _("Articles in %(name)s") % {"name": category.name},
            "description": category.description,
            "feed_url": category.get_absolute_url() + "feed/",
            "archive_of": category,
        },
    )


def _tag_posts(slug: str) -> QuerySet | None:
    tag = selectors.tag_get(slug=slug)
    return None if tag is None else selectors.post_list_published().filter(tags=tag)


@_page_etag(_tag_posts)
def tag_archive(request: HttpRequest, slug: str) -> HttpResponse:
    tag = selectors.tag_get(slug=slug)
    if tag is None:
        raise Http404(_("There is no such tag."))
    posts = selectors.post_list_published().filter(tags=tag)
    return _render_list(
        request,
        posts,
        {
            "heading": _("Articles tagged “%(name)s”") % {"name": tag.name},
            "description": tag.description,
            "archive_of": tag,
        },
    )


def _author_posts(username: str) -> QuerySet | None:
    author = selectors.author_get(username=username)
    return None if author is None else selectors.post_list_published().filter(author=author)


@_page_etag(_author_posts)
def author_archive(request: HttpRequest, username: str) -> HttpResponse:
    author = selectors.author_get(username=username)
    if author is None:
        raise Http404(_("There is no such author."))
    posts = selectors.post_list_published().filter(author=author)
    heading = _("Articles by %(name)s") % {"name": author.public_name}
    return _render_list(
        request,
        posts,
        {"heading": heading, "description": author.bio, "author": author, "archive_of": author},
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


def _date_posts(year: str, month: str | None = None, day: str | None = None) -> QuerySet:
    start, end = _date_span(year, month, day)
    return selectors.post_list_for_day_range(start=start, end=end)


def _date_archive(request: HttpRequest, heading: str, posts: QuerySet) -> HttpResponse:
    if not posts.exists():
        raise Http404(_("Nothing was published on that date."))
    return _render_list(request, posts, {"heading": heading})


@_page_etag(_date_posts)
def year_archive(request: HttpRequest, year: str) -> HttpResponse:
    start, _end = _date_span(year)
    heading = _("Articles from %(year)s") % {"year": start.year}
    return _date_archive(request, heading, _date_posts(year))


@_page_etag(_date_posts)
def month_archive(request: HttpRequest, year: str, month: str) -> HttpResponse:
    start, _end = _date_span(year, month)
    heading = _("Articles from %(month)s") % {"month": date_format(start, "F Y")}
    return _date_archive(request, heading, _date_posts(year, month))


@_page_etag(_date_posts)
def day_archive(request: HttpRequest, year: str, month: str, day: str) -> HttpResponse:
    start, _end = _date_span(year, month, day)
    heading = _("Articles from %(day)s") % {"day": date_format(start, "j F Y")}
    return _date_archive(request, heading, _date_posts(year, month, day))


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
