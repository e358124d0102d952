"""The rules of post revisions, as pure functions over plain values (no queries):
what a revision records, when a save changed nothing worth a revision, which old
revisions are pruned, and a readable comparison of two revisions.

``blog.services`` records, restores and prunes with them; the admin's history pages
show what ``revision_compare`` returns.
"""

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from blog.models import PublicationStatus

# Every revision of the last KEEP_ALL_DAYS days is kept; before that, the newest of each
# day. The newest revision and the newest published one are never pruned.
KEEP_ALL_DAYS = 30

PRUNING_RULE = _(
    "Every revision of the last 30 days is kept; older ones are thinned to the last of each "
    "day, and the newest revision and the last published one are always kept."
)

# What a revision records, in the order the comparison shows it.
REVISION_FIELDS: dict[str, object] = {
    "title": _("Title"),
    "excerpt": _("Excerpt"),
    "body": _("Body"),
    "featured_image": _("Featured image"),
    "categories": _("Categories"),
    "tags": _("Tags"),
    "status": _("Status"),
    "published_at": _("Publication time"),
    "unpublish_at": _("Leaves the site at"),
}

# Restoring copies these back onto the post; status and times stay as the post has them,
# so a restore never publishes, unpublishes or reschedules a post.
RESTORED_FIELDS = ("title", "excerpt", "body", "featured_image", "categories", "tags")


def terms_snapshot(terms: Iterable) -> list[dict]:
    """Categories or tags as kept in a revision: ``[{"id": 3, "name": "Climate"}]`` by id."""
    return sorted(({"id": t.pk, "name": t.name} for t in terms), key=lambda t: t["id"])


def post_snapshot(post, *, categories: Iterable, tags: Iterable) -> dict:
    """What a revision of ``post`` records, with its categories and tags as given."""
    return {
        "title": post.title,
        "excerpt": post.excerpt,
        "body": post.body,
        "featured_image": post.featured_image_id,
        "categories": terms_snapshot(categories),
        "tags": terms_snapshot(tags),
        "status": post.status,
        "published_at": post.published_at,
        "unpublish_at": post.unpublish_at,
    }


def revision_snapshot(revision) -> dict:
    """What ``revision`` (a ``PostRevision``) records, as ``post_snapshot`` gives it."""
    return {
        name: getattr(revision, name) for name in REVISION_FIELDS if name != "featured_image"
    } | {"featured_image": revision.featured_image_id}


def revision_display(revision) -> dict:
    """``revision_snapshot`` plus words for people for the picture, status and times; the
    revision's featured image is read from ``select_related`` (no query)."""
    image = revision.featured_image if revision.featured_image_id else None
    return revision_snapshot(revision) | {
        "featured_image_label": str(image) if image else str(_("None")),
        "status_label": str(PublicationStatus(revision.status).label),
        "published_at_label": _moment(revision.published_at),
        "unpublish_at_label": _moment(revision.unpublish_at),
    }


def _moment(moment: datetime | None) -> str:
    if moment is None:
        return str(_("None"))
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def snapshot_values(snapshot: dict, name: str) -> object:
    """What counts as a change of ``name``: the ids of categories and tags (a renamed tag
    is not a change of the post), the value itself for the other fields."""
    value = snapshot.get(name)
    if name in ("categories", "tags"):
        return [term["id"] for term in value or []]
    return value


def changed_fields(previous: dict | None, current: dict) -> list[str]:
    """The names of the recorded fields that differ between two snapshots, in
    ``REVISION_FIELDS`` order; every field that is set when there is no previous one."""
    if previous is None:
        return [name for name in REVISION_FIELDS if current.get(name) not in (None, "", [])]
    return [
        name
        for name in REVISION_FIELDS
        if snapshot_values(previous, name) != snapshot_values(current, name)
    ]


# --- Pruning --------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionStamp:
    """What the pruning rule needs of a revision."""

    pk: int
    number: int
    created_at: datetime
    status: str


def revisions_to_prune(revisions: Sequence[RevisionStamp], *, now: datetime) -> set[int]:
    """The pks of ``revisions`` (all the revisions of one post) that the rule lets go:
    older than ``KEEP_ALL_DAYS`` days and not the newest of their (local) day, never the
    newest revision nor the newest published one. Running it again on what is left
    prunes nothing more."""
    if not revisions:
        return set()
    newest_first = sorted(revisions, key=lambda r: r.number, reverse=True)
    kept = {newest_first[0].pk}
    published = next((r for r in newest_first if r.status == PublicationStatus.PUBLISHED), None)
    if published is not None:
        kept.add(published.pk)
    cutoff = now - timedelta(days=KEEP_ALL_DAYS)
    days_seen: set = set()
    pruned = set()
    for revision in newest_first:
        if revision.created_at >= cutoff:
            continue
        day = timezone.localdate(revision.created_at)
        if day not in days_seen:
            days_seen.add(day)  # the newest of its day
        elif revision.pk not in kept:
            pruned.add(revision.pk)
    return pruned


# --- Comparing ------------------------------------------------------------------------

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _TextOfHtml(HTMLParser):
    """The paragraphs a reader sees in sanitised post HTML: one line per block, headings
    marked with '#', list items with '•', pictures as '[Picture: alt]', a link's address
    after its words when they differ."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.links: list[str | None] = []

    def flush(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag in _BLOCKS or tag == "br":
            self.flush()
        if tag in _HEADINGS:
            self.current.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self.current.append("• ")
        elif tag == "a":
            self.links.append(attributes.get("href"))
            self.current.append("\x00")  # where the link's words start
        elif tag == "img":
            self.current.append(" [%s] " % (_("Picture: %s") % (attributes.get("alt") or "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            text = "".join(self.current)
            start = text.rfind("\x00")
            words = text[start + 1 :].strip()
            self.current = [text[:start], text[start + 1 :]]
            if href and href != words:
                self.current.append(f" ({href})")
        elif tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def body_text(html: str) -> list[str]:
    """The body as paragraphs of plain text (``_TextOfHtml``), for a comparison people read."""
    parser = _TextOfHtml()
    parser.feed(html or "")
    parser.close()
    parser.flush()
    return [line.replace("\x00", "") for line in parser.lines]


@dataclass
class Segment:
    """A run of text in a comparison: ``kind`` is "same", "inserted" or "deleted"."""

    kind: str
    text: str


@dataclass
class Paragraph:
    """One paragraph of a text comparison, or a gap of ``skipped`` unchanged ones."""

    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0


def _words(text: str) -> list[str]:
    """Words, runs of space and single punctuation marks: "Sundays." becomes "Sundays"
    and ".", so adding "and holidays" before the full stop marks only those words."""
    return re.findall(r"\w+|\s+|[^\w\s]", text)


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` to ``new`` word by word (``_words``): runs of unchanged, deleted and inserted
    words."""
    old_words, new_words = _words(old), _words(new)
    segments: list[Segment] = []

    def add(kind: str, words: list[str]) -> None:
        if not words:
            return
        if segments and segments[-1].kind == kind:
            segments[-1].text += "".join(words)
        else:
            segments.append(Segment(kind, "".join(words)))

    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add("same", old_words[i1:i2])
        else:
            add("deleted", old_words[i1:i2])
            add("inserted", new_words[j1:j2])
    return segments


def text_diff(old: list[str], new: list[str], *, context: int = 1) -> list[Paragraph]:
    """Two lists of paragraphs compared: changed paragraphs word by word, whole new or
    removed paragraphs as such, and runs of unchanged ones beyond ``context`` on either
    side of a change folded into one ``skipped`` count."""
    rows: list[Paragraph] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(Paragraph([Segment("same", line)]) for line in old[i1:i2])
        else:
            # Paragraphs replaced in place are compared word by word; the rest of a longer
            # side was added or removed whole.
            paired = min(i2 - i1, j2 - j1)
            pairs = zip(old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True)
            rows.extend(Paragraph(word_diff(a, b)) for a, b in pairs)
            rows.extend(Paragraph([Segment("deleted", line)]) for line in old[i1 + paired : i2])
            rows.extend(Paragraph([Segment("inserted", line)]) for line in new[j1 + paired : j2])
    changed = [i for i, row in enumerate(rows) if any(s.kind != "same" for s in row.segments)]
    shown = {i for c in changed for i in range(c - context, c + context + 1)}
    folded: list[Paragraph] = []
    for i, row in enumerate(rows):
        if i in shown:
            folded.append(row)
        elif folded and folded[-1].skipped:
            folded[-1].skipped += 1
        else:
            folded.append(Paragraph(skipped=1))
    return folded


@dataclass
class FieldChange:
    """How one recorded field differs between two revisions, ready for the template:
    ``paragraphs`` for text, ``removed``/``added`` names for categories and tags,
    ``before``/``after`` words for the rest."""

    name: str
    label: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    before: str = ""
    after: str = ""


def revision_compare(old: dict, new: dict) -> list[FieldChange]:
    """The fields that differ from ``old`` to ``new`` (two ``revision_display`` dicts), in
    ``REVISION_FIELDS`` order; an empty list when the two hold the same."""
    changes = []
    for name in changed_fields(old, new):
        change = FieldChange(name=name, label=str(REVISION_FIELDS[name]))
        if name in ("title", "excerpt"):
            change.paragraphs = text_diff(
                [old[name]] if old[name] else [], [new[name]] if new[name] else []
            )
        elif name == "body":
            change.paragraphs = text_diff(body_text(old[name]), body_text(new[name]))
        elif name in ("categories", "tags"):
            before = {t["id"]: t["name"] for t in old[name]}
            after = {t["id"]: t["name"] for t in new[name]}
            change.removed = [n for pk, n in before.items() if pk not in after]
            change.added = [n for pk, n in after.items() if pk not in before]
        else:
            change.before, change.after = old[f"{name}_label"], new[f"{name}_label"]
        changes.append(change)
    return changes
