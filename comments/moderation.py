"""The moderation policy: what happens to a new comment before anyone has read it.

``assess_comment`` is a pure function (no database, no clock, no settings module): it takes
the comment's text, the discussion settings and facts about the sender, runs a table of
small rules and returns a ``Verdict``: publish, hold for a moderator (pending), or spam.
``comments.services.comment_create`` calls it and stores the verdict; the reasons go to the
moderation log only and are never shown to the sender, so a spammer learns nothing about
which word or rule caught them. Flood control and duplicates need the database and stay in
the service, where they refuse the comment with a message instead.

The rules, in order:

1. **Trusted senders** (staff: editors, moderators, administrators) are never held or
   blocked. They are accountable for what they post, and a moderator quoting a blocked
   phrase while explaining a removal must not end up in the spam folder.
2. **Block words** send the comment straight to spam (reason ``"block word"``). A block
   beats every hold rule.
   So does the spam filter (``comments.spamfilter``) when its score reaches the settings'
   spam score (reason ``"spam filter"``).
3. **Hold rules** put it in the queue; every one that fires is recorded:
   ``"links"`` (more than ``hold_link_count`` links), ``"hold word"``, ``"hold all"``
   (moderation mode *hold all*), ``"first-time commenter"`` (mode *first-time* and the
   sender has no earlier published comment), ``"spam filter"`` (its score reaches the
   hold score), ``"held discussion"`` (the post's discussion is in held mode,
   ``comments.modes``: every comment waits for a moderator; named first, so the log
   always shows it) and ``"akismet"`` (Akismet, when configured, says spam: it holds a
   comment for a moderator and never spams one on its own). A **trusted commenter**
   (``is_trusted_commenter``: a member with a good record) skips the link and first-time
   holds, WordPress's "previously approved" rule made explicit; every other rule, block
   words first, still applies to them.

How text is matched against the word lists and what counts as a link is in
``comments.matching``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from comments.matching import count_links, uses_any_word
from comments.models import Comment, DiscussionSettings

# --- The verdict --------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What to do with a new comment: its ``status`` (published, pending or spam) and the
    names of the rules that decided it (empty when it is published)."""

    status: str
    reasons: tuple[str, ...] = ()

    @property
    def is_published(self) -> bool:
        return self.status == Comment.Status.PUBLISHED


PUBLISH = Verdict(Comment.Status.PUBLISHED)

# Reasons are stored in ModerationEvent.rule (40 characters), joined by ", ": keep them
# short enough that every combination fits (tests check it).
BLOCK_WORD = "block word"
TOO_MANY_LINKS = "links"
HOLD_WORD = "hold word"
HOLD_ALL = "hold all"
FIRST_TIME = "first-time commenter"
SPAM_FILTER = "spam filter"
AKISMET = "akismet"
HELD_DISCUSSION = "held discussion"


# --- The rules ----------------------------------------------------------------


@dataclass(frozen=True)
class _Comment:
    """What the rules look at."""

    body: str
    settings: DiscussionSettings
    is_first_time: bool
    spam_score: float | None
    is_trusted_commenter: bool
    akismet_says_spam: bool
    is_held_discussion: bool = False


Rule = Callable[[_Comment], str | None]


def spam_filter_status(*, score: float | None, settings: DiscussionSettings) -> str:
    """The status the spam filter's ``score`` (0 to 1) asks for: spam from the settings'
    spam score, pending (held) from their hold score, published below them or when there is
    no score (the filter has not learnt enough yet). A blank score in the settings never
    applies."""
    spam_at = settings.spam_filter_spam_score
    hold_at = settings.spam_filter_hold_score
    if score is None:
        return Comment.Status.PUBLISHED
    if spam_at is not None and score >= spam_at:
        return Comment.Status.SPAM
    if hold_at is not None and score >= hold_at:
        return Comment.Status.PENDING
    return Comment.Status.PUBLISHED


def _spam_filter_blocks(c: _Comment) -> str | None:
    status = spam_filter_status(score=c.spam_score, settings=c.settings)
    return SPAM_FILTER if status == Comment.Status.SPAM else None


def _spam_filter_holds(c: _Comment) -> str | None:
    status = spam_filter_status(score=c.spam_score, settings=c.settings)
    return SPAM_FILTER if status == Comment.Status.PENDING else None


def _akismet(c: _Comment) -> str | None:
    return AKISMET if c.akismet_says_spam else None


def _block_words(c: _Comment) -> str | None:
    return BLOCK_WORD if uses_any_word(c.body, words=c.settings.block_words) else None


def _too_many_links(c: _Comment) -> str | None:
    if c.is_trusted_commenter:
        return None
    return TOO_MANY_LINKS if count_links(c.body) > c.settings.hold_link_count else None


def _hold_words(c: _Comment) -> str | None:
    return HOLD_WORD if uses_any_word(c.body, words=c.settings.hold_words) else None


def _hold_all(c: _Comment) -> str | None:
    mode = c.settings.moderation_mode
    return HOLD_ALL if mode == DiscussionSettings.ModerationMode.ALL else None


def _first_time(c: _Comment) -> str | None:
    mode = c.settings.moderation_mode
    is_held = mode == DiscussionSettings.ModerationMode.FIRST_TIME and c.is_first_time
    return FIRST_TIME if is_held and not c.is_trusted_commenter else None


def is_trusted_commenter(
    *, published: int, upheld_removals: int, settings: DiscussionSettings
) -> bool:
    """Whether a member with ``published`` published comments and ``upheld_removals``
    comments removed by a moderator within the settings' ``trusted_clean_days`` (and still
    removed) is a trusted commenter: the settings trust members, the member has at least
    ``trusted_after_comments`` published comments, and no removal stands against them."""
    return (
        settings.trust_members
        and published >= settings.trusted_after_comments
        and upheld_removals == 0
    )


def _held_discussion(c: _Comment) -> str | None:
    return HELD_DISCUSSION if c.is_held_discussion else None


# Each status with the rules that lead to it, strongest first; the first status with a rule
# that fires wins, and every rule of that status that fires is a reason.
RULES: tuple[tuple[str, tuple[Rule, ...]], ...] = (
    (Comment.Status.SPAM, (_block_words, _spam_filter_blocks)),
    (
        Comment.Status.PENDING,
        (
            _held_discussion,
            _too_many_links,
            _hold_words,
            _hold_all,
            _first_time,
            _spam_filter_holds,
            _akismet,
        ),
    ),
)


def assess_comment(
    *,
    body: str,
    settings: DiscussionSettings,
    is_first_time: bool,
    is_trusted: bool = False,
    spam_score: float | None = None,
    is_trusted_commenter: bool = False,
    akismet_says_spam: bool = False,
    is_held_discussion: bool = False,
) -> Verdict:
    """Decide what happens to a new comment with text ``body``: published, held (pending)
    or spam, with the reasons.

    ``is_first_time``: the sender has no earlier published comment (only the first-time
    moderation mode uses it). ``is_trusted``: the sender is staff, whose comments are always
    published. ``spam_score``: the spam filter's score, None when it gave none.
    ``is_trusted_commenter``: a member with a good record (``is_trusted_commenter``), who
    skips the link and first-time holds. ``akismet_says_spam``: Akismet's verdict, which
    holds. ``is_held_discussion``: the post's discussion holds every comment (held mode).
    Block words beat every hold rule. Reads only its arguments.
    """
    if is_trusted:
        return PUBLISH
    comment = _Comment(
        body=body,
        settings=settings,
        is_first_time=is_first_time,
        spam_score=spam_score,
        is_trusted_commenter=is_trusted_commenter,
        akismet_says_spam=akismet_says_spam,
        is_held_discussion=is_held_discussion,
    )
    for status, rules in RULES:
        reasons = tuple(reason for rule in rules if (reason := rule(comment)) is not None)
        if reasons:
            return Verdict(status, reasons)
    return PUBLISH
