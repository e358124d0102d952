"""The HTML of a comment list, written in Python rather than a template.

A comment page can show several hundred comments. Through the template engine each
comment cost about 0.4 ms (variable lookups, filters, Django's word-by-word ``urlize``);
here it costs a few microseconds, which is what lets an uncached post page with a big
discussion render in tens of milliseconds. Everything a person typed goes through
``escape``; the markup is the same as a template would write, and it is tested through
the post page like any template.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments import rules
from comments.models import Comment, guideline_anchor
from comments.threads import CommentNode, FlatItem, Order

URL_DISPLAY_LIMIT = 60
# Web addresses a reader typed: http(s) links and bare www. names. Nothing else becomes a
# link, so no javascript: or data: address can.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?"
_PARAGRAPHS = re.compile(r"\n{2,}")
AVATAR_COLOURS = 8
# The depth from which a reply says whom it answers ("In reply to Name"). On a phone the
# thread's indentation stops one level above it (static/css/site.css, the media query
# under "Reading on a phone"), so these replies line up with their parent; the two numbers
# go together. On a wide screen the indentation goes on and the CSS hides the line.
REPLY_TO_FROM_DEPTH = 4


def _split_trailing(url: str) -> tuple[str, str]:
    """``url`` without the punctuation that ended the sentence around it, and that
    punctuation. A closing bracket stays when it closes one opened inside the address
    (``wiki/Weir_(river)``). One pass from the end with the brackets counted once, so the
    work grows with the address's length, never with its square."""
    unclosed = url.count(")") - url.count("(")
    end = len(url)
    while end:
        last = url[end - 1]
        if last == ")" and unclosed > 0:
            unclosed -= 1
        elif last not in _TRAILING:
            break
        end -= 1
    return url[:end], url[end:]


def _link(url: str) -> tuple[str, str]:
    """The link for one matched address, and the punctuation that followed it."""
    url, trail = _split_trailing(url)
    href = url if url[:4].lower() == "http" else f"http://{url}"
    shown = url if len(url) <= URL_DISPLAY_LIMIT else url[: URL_DISPLAY_LIMIT - 1] + "…"
    html = f'<a href="{escape(href)}" rel="nofollow ugc noopener">{escape(shown)}</a>'
    return html, trail


def linkify(text: str) -> str:
    """Escape ``text`` and turn the web addresses in it into links."""
    out = []
    last = 0
    for match in _URL.finditer(text):
        html, trail = _link(match.group())
        out.append(escape(text[last : match.start()]))
        out.append(html)
        out.append(escape(trail))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _body_html(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    paragraphs = (linkify(p).replace("\n", "<br>") for p in _PARAGRAPHS.split(text))
    return "\n\n".join(f"<p>{p}</p>" for p in paragraphs)


def comment_body_html(text: str) -> SafeString:
    """Plain text as HTML: escaped, paragraphs and line breaks kept, links clickable and
    marked as user-generated."""
    return mark_safe(_body_html(text))  # noqa: S308 (every piece of the text is escaped)


def initials(name: str) -> str:
    """Up to two letters for a generated avatar: "Jane Doe" → "JD"."""
    firsts = [next((ch for ch in word if ch.isalnum()), "") for word in str(name).split()]
    letters = "".join(ch for ch in firsts if ch)[:2]
    return (letters or str(name).strip()[:1] or "?").upper()


def avatar_colour(name: str) -> int:
    """A stable colour slot (0–7) for a name, so a person keeps the same colour."""
    total = 0
    for ch in str(name).casefold():
        total = (total * 31 + ord(ch)) & 0xFFFFFFFF
    return total % AVATAR_COLOURS


@dataclass(frozen=True)
class ListOptions:
    """What the comment list needs beyond the comments themselves."""

    is_open: bool
    max_depth: int
    page_number: int
    order: Order = Order.OLDEST
    editable_ids: frozenset[int] = frozenset()
    post_author_id: int | None = None
    # Set only for a moderator's own (never cached) render: the CSRF token their
    # Hide / Restore forms carry.
    moderator_csrf: str = ""


class _Words:
    """The words of the list, translated once per list rather than once per comment."""

    def __init__(self) -> None:
        self.tz = timezone.get_current_timezone()
        # Filled as the list is written: each author's name and avatar, each day's date.
        self.authors: dict[tuple[int | None, str], tuple[str, str]] = {}
        self.days: dict[tuple[int, int, int], str] = {}
        self.months = {n: str(name) for n, name in MONTHS.items()}
        self.at = _("at")
        self.reply = _("Reply")
        self.reply_to = _("to")
        self.in_reply_to = _("In reply to")
        self.edit = _("Edit")
        self.your_comment = _("your comment")
        self.edited = _("(edited)")
        self.awaiting = _("Your comment is awaiting moderation.")
        self.removed = _("This comment was removed by a moderator.")
        self.withheld = _("This comment is awaiting moderation or was removed.")
        self.removed_for = _("This comment was removed for breaking guideline")
        self.report = _("Report")
        self.report_whose = _("comment by")
        self.status_names = {status.value: str(status.label) for status in Comment.Status}
        self.guideline_url = reverse("guidelines")
        self.report_url = reverse("comments:report", args=[1234567890]).replace(
            "1234567890", "{pk}"
        )
        self.moderate_url = reverse("comments:moderate", args=[1234567890]).replace(
            "1234567890", "{pk}"
        )
        self.hide = _("Hide")
        self.restore = _("Restore")
        self.approve = _("Approve")
        self.spam = _("Spam")
        self.suspend = _("Suspend author…")
        self.suspend_url = reverse("comments:suspend", args=[1234567890]).replace(
            "1234567890", "{pk}"
        )
        self.author_badge = _("Author")
        # A thread's replies fold under a <summary> (``_replies_opening``).
        self.hide_replies = _("Hide")
        self.show_replies = _("Show")
        self.edit_url = reverse("comments:edit", args=[1234567890]).replace("1234567890", "{pk}")


def _avatar(comment, name: str) -> str:
    if comment.avatar:
        return (
            f'<img class="av" src="{escape(comment.avatar_url)}" '
            'width="40" height="40" alt="" loading="lazy">'
        )
    return (
        f'<span class="av c{avatar_colour(name)}" aria-hidden="true">'
        f"{escape(initials(name))}</span>"
    )


def _author(comment, words: _Words) -> tuple[str, str]:
    """The comment's author as the list shows them: their escaped name and their avatar.
    Worked out once per author and list: the rows of one member carry the same name and
    avatar (they come from one query), and a guest's are their name."""
    key = (comment.user_id, comment.guest_name)
    author = words.authors.get(key)
    if author is None:
        name = comment.author_name
        author = words.authors[key] = (escape(name), _avatar(comment, name))
    return author


def _when(created_at, words: _Words) -> str:
    """The date and time a comment was posted, in the reader's time zone: "3 November 2026
    at 14:05". The day's words are written once per day on the list."""
    local = created_at.astimezone(words.tz)
    day = words.days.get((local.year, local.month, local.day))
    if day is None:
        day = f"{local.day} {words.months[local.month]} {local.year} {words.at} "
        words.days[local.year, local.month, local.day] = day
    return f"{day}{local.hour:02}:{local.minute:02}"


def _comment(item: FlatItem, options: ListOptions, words: _Words, parent_name: str) -> str:
    """One comment's ``<li>``, left open for its replies.

    Every byte here is paid once per comment on the page, several hundred times on a big
    discussion, so the markup carries only what a reader uses: no wrapper elements, short
    class names (styled in ``static/css/site.css``, used by ``static/js/comments.js``), the
    date as the permalink's text with no machine-readable copy, and Reply / Report links
    without hidden "to <name>" text: their purpose comes from the list item they sit in,
    which starts with the author's name (WCAG 2.4.4, link purpose in context). Only a
    reply at ``REPLY_TO_FROM_DEPTH`` or deeper names its parent's author (``parent_name``,
    escaped; empty when the parent is a placeholder, whose author is not shown).
    ``tests/comments/test_rendering.py`` pins the bytes per comment; bench/README.md has
    the figures."""
    node = item.node
    comment = node.comment
    pk = comment.pk
    thread = ' class="thread"' if comment.depth == 0 else ""
    opening = f'<li id="comment-{pk}"{thread}>'
    if node.is_placeholder:
        return opening + _removed(comment, words)
    name, avatar = _author(comment, words)
    when = _when(comment.created_at, words)
    number = (
        f'<span class="comment-number">{node.number}.</span> ' if node.number is not None else ""
    )
    edited = f' <span class="comment-edited">{words.edited}</span>' if comment.edited_at else ""
    pending = f'<p class="comment-awaiting">{words.awaiting}</p>' if node.is_own_pending else ""
    actions = []
    is_public = rules.comment_takes_replies(status=comment.status) and not node.is_own_pending
    if (
        options.is_open
        and is_public
        and rules.reply_nests_under(depth=comment.depth, max_depth=options.max_depth)
    ):
        page = f"cpage={options.page_number}&" if options.page_number > 1 else ""
        query = escape(options.order.query + page)
        actions.append(f'<a href="?{query}replyto={pk}#respond">{words.reply}</a>')
    if pk in options.editable_ids and comment.user_id:
        actions.append(
            f'<a href="{words.edit_url.format(pk=pk)}">{words.edit}'
            f'<span class="visually-hidden"> {words.your_comment}</span></a>'
        )
    if is_public:
        actions.append(f'<a href="{words.report_url.format(pk=pk)}">{words.report}</a>')
    if options.moderator_csrf:
        actions.append(_moderator_forms(comment, options, words))
    if node.is_moderated:
        label = escape(str(words.status_names.get(comment.status, comment.status)))
        if comment.guideline_number:
            label += (
                f" · {escape(str(comment.guideline_number))}. {escape(comment.guideline_title)}"
            )
        pending = f'<p class="comment-moderated">{label}</p>' + pending
    badge = (
        f' <span class="badge text-bg-secondary comment-by-author">{words.author_badge}</span>'
        if options.post_author_id is not None and comment.user_id == options.post_author_id
        else ""
    )
    if parent_name and comment.depth >= REPLY_TO_FROM_DEPTH:
        pending = f'<p class="re">{words.in_reply_to} {parent_name}</p>' + pending
    html = (
        f"{avatar}{number}<b>{name}</b>{badge} "
        f'<a href="#comment-{pk}">{when}</a>{edited}'
        f"{pending}{comment.body_html or _body_html(comment.body)}"
        f'<div class="ca">{" ".join(actions)}</div>'
    )
    if node.is_own_pending or node.is_moderated:
        # Waiting or moderated: a bar at the side of this comment only, not its replies.
        html = f'<div class="comment-pending">{html}</div>'
    return opening + html


def _removed(comment, words: _Words) -> str:
    """The line in place of a comment readers don't see (``rules.Shown.PLACEHOLDER``): a
    hidden one names the guideline it broke when there is one; a held or spam one does not
    say which of the two it is."""
    if comment.status != Comment.Status.HIDDEN:
        text = str(words.withheld)
    elif comment.guideline_number:
        number = escape(str(comment.guideline_number))
        anchor = guideline_anchor(comment.guideline_number)
        text = (
            f'{words.removed_for} <a href="{words.guideline_url}#{anchor}">'
            f"{number}: {escape(comment.guideline_title)}</a>."
        )
    else:
        text = str(words.removed)
    return f'<p class="comment-removed">{text}</p>'


def _moderator_forms(comment, options: ListOptions, words: _Words) -> str:
    """The moderator's controls for one comment: small POST forms to the moderation view,
    and a link to suspend its author."""
    labels = {
        "approve": words.approve,
        "hide": words.hide,
        "restore": words.restore,
        "spam": words.spam,
    }
    actions = [(action, labels[action]) for action in rules.moderation_actions_for(comment.status)]
    url = words.moderate_url.format(pk=comment.pk)
    name = escape(comment.author_name)
    forms = "".join(
        f'<form method="post" action="{url}" class="comment-moderate">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(options.moderator_csrf)}">'
        f'<input type="hidden" name="action" value="{action}">'
        f'<button type="submit" class="btn btn-link btn-sm p-0 align-baseline">{label}'
        f'<span class="visually-hidden"> {words.report_whose} {name}</span></button></form>'
        for action, label in actions
    )
    if rules.comment_has_author(user_id=comment.user_id, guest_name=comment.guest_name):
        forms += (
            f'<a href="{words.suspend_url.format(pk=comment.pk)}" class="comment-suspend">'
            f'{words.suspend}<span class="visually-hidden"> {name}</span></a>'
        )
    return forms


def _reply_count(node: CommentNode) -> int:
    """How many comments hang under ``node``, at any depth."""
    return sum(1 + _reply_count(child) for child in node.children)


def _replies_opening(node: CommentNode, words: _Words) -> str:
    """The opening of a top-level comment's replies: a ``<details open>`` a reader folds
    and unfolds with its ``<summary>`` ("Hide 4 replies" / "Show 4 replies", the verb the
    one of two a stylesheet shows for the state), with or without JavaScript, remembered
    nowhere. Only threads with replies pay for it."""
    count = _reply_count(node)
    replies = ngettext("%(count)s reply", "%(count)s replies", count) % {"count": count}
    return (
        f"<details open><summary><span>{words.hide_replies}</span>"
        f"<span>{words.show_replies}</span> {replies}</summary><ol>"
    )


def comment_list_html(items: Iterable[FlatItem], options: ListOptions) -> SafeString:
    """The nested ``<ol>`` of a comment page's threads, in reading order: a reply list is a
    bare ``<ol>`` (styled as ``.comment-list ol``), a top-level comment's inside a
    ``<details>`` (``_replies_opening``)."""
    words = _Words()
    parts = ['<ol class="comment-list">']
    # The escaped author of the comment last written at each depth: in reading order, a
    # reply's parent is the one last written a level above it.
    names: list[str] = []
    # The depth of the comment each open reply list belongs to, innermost last.
    open_lists: list[int] = []
    for item in items:
        node = item.node
        depth = node.comment.depth
        parent_name = names[depth - 1] if 0 < depth <= len(names) else ""
        parts.append("\n")
        parts.append(_comment(item, options, words, parent_name))
        own_name = "" if node.is_placeholder else _author(node.comment, words)[0]
        del names[depth:]
        names.extend([""] * (depth - len(names)))  # no gap in a whole thread; never misname
        names.append(own_name)
        if item.has_children:
            parts.append(_replies_opening(node, words) if depth == 0 else "<ol>")
            open_lists.append(depth)
        else:
            parts.append("</li>")
        for _closed in range(item.closes):
            parts.append("</ol></details></li>" if open_lists.pop() == 0 else "</ol></li>")
    parts.append("</ol>")
    return mark_safe("".join(parts))  # noqa: S308
