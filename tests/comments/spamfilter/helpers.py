"""What the spam filter's tests share: comments that read like spam or not, teaching the
filter through the moderation services, posting as a guest and asking for a score."""

import itertools

from django.utils import timezone

from comments.models import Comment
from comments.selectors import discussion_settings_get
from comments.services import comment_approve, comment_create, comment_mark_spam
from comments.spamfilter import service
from tests.factories import CommentFactory

_n = itertools.count(1)

SPAM_BODIES = (
    "Best online casino bonus, claim your free spins at https://lucky-casino.example/bonus",
    "Cheap pills without prescription, order now at https://pills-shop.example today",
    "Earn crypto fast with our trading bot, visit https://coin-profit.example and join",
)
HAM_BODIES = (
    "The council should publish the full budget before the vote, not after it.",
    "I went to the meeting last night and the library plan got a fair hearing.",
    "Good reporting. The bus cuts will hit the older people in our village hardest.",
)


def spam_body() -> str:
    """A spam comment, never twice the same."""
    return f"{SPAM_BODIES[next(_n) % len(SPAM_BODIES)]} offer {next(_n)}"


def ham_body() -> str:
    """A legitimate comment, never twice the same."""
    return f"{HAM_BODIES[next(_n) % len(HAM_BODIES)]} Point {next(_n)}."


def teach(moderator, *, spam: int = 0, ham: int = 0) -> None:
    """Teach the filter through the moderation services, as moderators would: Spam on
    published comments, Approve on held ones."""
    for _ in range(spam):
        comment_mark_spam(comment=CommentFactory(body=spam_body()), moderator=moderator)
    for _ in range(ham):
        comment_approve(comment=CommentFactory(pending=True, body=ham_body()), moderator=moderator)


def post_as_guest(post, body: str, *, name: str = "Sam") -> Comment:
    """Post ``body`` through the posting service as a guest never seen before."""
    return comment_create(
        post=post, body=body, guest_name=name, guest_email=f"guest{next(_n)}@example.org"
    )


def score_of(body: str) -> float:
    """The filter's score for a new guest's comment ``body``, from the counts as they are."""
    score = service.new_comment_score(
        body=body,
        user=None,
        guest_name="",
        guest_email=f"probe{next(_n)}@example.org",
        at=timezone.now(),
        settings=discussion_settings_get(),
    )
    assert score is not None, "the filter is off"
    return score.value
