"""How a post's bylines read: "By A", "By A and B", "By A, B and C". The one way the pages
(cards, lead story, article, search, previews), the feeds and the JSON-LD name the people a
post is by (``Post.bylines``: the lead author, then the co-authors in order), each by their
public name (``accounts.models.User.public_name``) and linked to their author page when they
have one (``blog.selectors.author_has_page``). No queries: the selectors preload bylines."""

from collections.abc import Sequence
from typing import NamedTuple

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from blog.models import Post
from blog.selectors import author_has_page


class Byline(NamedTuple):
    """One person a post is by, as readers see them: the name, the byline title and the
    address of their author page ('' when they have none)."""

    name: str
    title: str
    url: str


def byline_of(person: User, *, linked: bool = True) -> Byline:
    """``person`` as a byline names them; with their page's address if ``linked`` and they
    have one."""
    if linked and author_has_page(person):
        url = reverse("blog:author", kwargs={"username": person.username})
    else:
        url = ""
    return Byline(person.public_name, person.byline_title, url)


def post_bylines(post: Post) -> list[Byline]:
    """The people ``post`` is by, in order: its lead author, then its co-authors. Linked
    only once the post is published: before (a preview), someone whose first article it is
    has no page yet."""
    linked = post.is_published
    return [byline_of(person, linked=linked) for person in post.bylines]


def names_joined(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C': how a list of names reads in a sentence."""
    *rest, last = names
    if not rest:
        return last
    return _("%(names)s and %(last)s") % {"names": _(", ").join(rest), "last": last}


def byline_text(post: Post) -> str:
    """'By A and B' in plain text (the admin's list of posts)."""
    return _("By %(names)s") % {"names": names_joined([b.name for b in post_bylines(post)])}


def byline_html(post: Post) -> SafeString:
    """'By A and B' as HTML, each name a link to its author page (``rel="author"``) when
    there is one. A single byline keeps its title ('By A, Senior Researcher'); with several,
    the titles would read as more names, so they are left to the author pages."""
    bylines = post_bylines(post)
    pieces = [
        format_html('<a href="{}" rel="author">{}</a>', b.url, b.name)
        if b.url
        else conditional_escape(b.name)
        for b in bylines
    ]
    if len(bylines) == 1 and bylines[0].title:
        pieces[0] = format_html("{}, {}", pieces[0], bylines[0].title)
    # The pieces are escaped; the sentence around them is ours (translations).
    return mark_safe(_("By %(names)s") % {"names": names_joined(pieces)})  # noqa: S308
