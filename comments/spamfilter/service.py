"""The site's spam filter in the database: it learns from moderators' decisions and scores
new comments. Data never leaves the site.

Learning (``comment_learn``) is called by the moderation services, inside the transaction
that changes a comment's status, so every way a moderator acts (post page, admin, bulk
actions) teaches it: Spam, and Hide for a guideline about spam, teach spam; Approve and
Restore teach legitimate. Each comment is learnt one way at most (``SpamLabel``): a comment
learnt as spam and then restored has its very tokens moved from the spam counts to the
legitimate ones, so the counts stay exact. A published comment left a week without a
report or a hide is learnt as legitimate too (``settled_learn``, run by the task worker
when a moderator's decision finds an hour has passed since the last run: no cron job to
remember, and posting a comment writes nothing more).

Scoring (``new_comment_score``) costs three queries whatever the size of the vocabulary:
the totals, the sender's earlier comments (is it their first?) and the counts of the
comment's own tokens. The filter stays off until it has learnt
``spam_filter_min_decisions`` comments of each kind (``filter_is_active``).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from comments import rules
from comments.models import Comment, DiscussionSettings, ModerationEvent, Report
from comments.moderation import spam_filter_status
from comments.spamfilter.model import Score, spam_score
from comments.spamfilter.models import CommentAssessment, SpamFilterCounts, SpamLabel, SpamToken
from comments.spamfilter.tokens import Sender, comment_features

SETTLED_AFTER = timedelta(days=7)
SETTLE_EVERY = timedelta(hours=1)
SETTLE_BATCH = 200

_VERDICTS = {
    Comment.Status.PUBLISHED: (CommentAssessment.Verdict.PUBLISH, "published"),
    Comment.Status.PENDING: (CommentAssessment.Verdict.HOLD, "held"),
    Comment.Status.SPAM: (CommentAssessment.Verdict.SPAM, "spam"),
}


# --- State ----------------------------------------------------------------------------


def filter_counts() -> SpamFilterCounts:
    """How many comments the filter has learnt each way (zeros before the first). One
    query."""
    return SpamFilterCounts.objects.filter(pk=1).first() or SpamFilterCounts(pk=1)


def filter_is_active(*, counts: SpamFilterCounts, settings: DiscussionSettings) -> bool:
    """Whether the filter has learnt enough to act: at least the settings' minimum of
    decisions of each kind."""
    least = settings.spam_filter_min_decisions
    return counts.spam >= least and counts.ham >= least


def settle_claim(*, now: datetime) -> bool:
    """Whether the caller should start a run of ``settled_learn``: the filter has learnt
    something and an hour has passed since the last run. Claims the run (one query), so of
    many moderators acting at once only one starts it."""
    due = Q(settled_at__isnull=True) | Q(settled_at__lte=now - SETTLE_EVERY)
    return SpamFilterCounts.objects.filter(due, pk=1).update(settled_at=now) == 1


# --- Features of a comment --------------------------------------------------------------


def _sender(
    *, user: User | None, guest_name: str, guest_email: str, at: datetime, exclude_pk=None
) -> Sender:
    """What the features need to know about the sender of a comment written at ``at``."""
    earlier = Comment.objects.published().filter(
        rules.written_by(user=user, guest_email=guest_email), created_at__lt=at
    )
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    return Sender(
        is_member=user is not None,
        guest_name=guest_name if user is None else "",
        account_age=at - user.date_joined if user is not None else None,
        is_first_comment=not earlier.exists(),
    )


def _features_of(comment: Comment) -> dict[str, str]:
    sender = _sender(
        user=comment.user,
        guest_name=comment.guest_name,
        guest_email=comment.guest_email,
        at=comment.created_at,
        exclude_pk=comment.pk,
    )
    return comment_features(comment.body, sender)


# --- Scoring ----------------------------------------------------------------------------


def new_comment_score(
    *,
    body: str,
    user: User | None,
    guest_name: str,
    guest_email: str,
    at: datetime,
    settings: DiscussionSettings,
) -> Score | None:
    """Score a new comment with text ``body`` against the learnt model, or None while the
    filter has not learnt enough (``filter_is_active``). Three queries at most, whatever
    the size of the vocabulary."""
    counts = filter_counts()
    if not filter_is_active(counts=counts, settings=settings):
        return None
    sender = _sender(user=user, guest_name=guest_name, guest_email=guest_email, at=at)
    features = comment_features(body, sender)
    rows = SpamToken.objects.filter(token__in=list(features)).values_list("token", "spam", "ham")
    learnt = {token: (spam, ham) for token, spam, ham in rows}
    return spam_score(features, learnt, spam_total=counts.spam, ham_total=counts.ham)


def score_explanation(*, score: Score, settings: DiscussionSettings) -> str:
    """What a moderator reads: the verdict the score asks for, the score and what pushed
    it (``held: 0.94 — 'casino', 3 links, new account``)."""
    status = spam_filter_status(score=score.value, settings=settings)
    return score.explain(_VERDICTS[status][1])


def assessment_record(
    *, comment: Comment, score: Score, settings: DiscussionSettings
) -> CommentAssessment:
    """Store the filter's opinion of ``comment`` (replacing an earlier one: an edit is
    scored again). One query."""
    status = spam_filter_status(score=score.value, settings=settings)
    assessment = CommentAssessment(
        comment=comment,
        source=CommentAssessment.Source.LOCAL,
        score=score.value,
        verdict=_VERDICTS[status][0],
        explanation=score_explanation(score=score, settings=settings)[:255],
        created_at=timezone.now(),
    )
    CommentAssessment.objects.bulk_create(
        [assessment],
        update_conflicts=True,
        unique_fields=["comment", "source"],
        update_fields=["score", "verdict", "explanation", "created_at"],
    )
    return assessment


# --- Learning ---------------------------------------------------------------------------


def _locked_counts() -> SpamFilterCounts:
    SpamFilterCounts.objects.get_or_create(pk=1)
    return SpamFilterCounts.objects.select_for_update().get(pk=1)


def _count(tokens: list[str], *, is_spam: bool, step: int, counts: SpamFilterCounts) -> None:
    """Add ``step`` (1 or -1) to the spam or legitimate count of each token and of the
    totals. Tokens back at nothing either way are deleted."""
    column = "spam" if is_spam else "ham"
    if step > 0:
        SpamToken.objects.bulk_create([SpamToken(token=t) for t in tokens], ignore_conflicts=True)
    SpamToken.objects.filter(token__in=tokens).update(**{column: F(column) + step})
    if step < 0:
        SpamToken.objects.filter(token__in=tokens, spam=0, ham=0).delete()
    setattr(counts, column, getattr(counts, column) + step)
    counts.save(update_fields=[column])


def comment_learn(*, comment: Comment, is_spam: bool, only_new: bool = False) -> bool:
    """Teach the filter that ``comment`` is spam (``is_spam``) or legitimate, and return
    whether anything changed. A comment learnt the other way before is moved over; one
    learnt this way already, or with its text erased, changes nothing; with ``only_new``,
    neither does one learnt before at all. Call it with the comment's row locked, inside
    the transaction that changes its status."""
    if not comment.body:
        return False
    with transaction.atomic():
        counts = _locked_counts()
        label = SpamLabel.objects.filter(comment_id=comment.pk).first()
        if label is not None:
            if only_new or label.is_spam == is_spam:
                return False
            _count(label.tokens.split("\n"), is_spam=label.is_spam, step=-1, counts=counts)
        tokens = list(_features_of(comment))
        _count(tokens, is_spam=is_spam, step=1, counts=counts)
        SpamLabel.objects.update_or_create(
            comment_id=comment.pk,
            defaults={"is_spam": is_spam, "tokens": "\n".join(tokens), "learnt_at": timezone.now()},
        )
    return True


def comment_forget(*, comment: Comment) -> bool:
    """Take what ``comment`` taught out of the counts, as if never learnt (its text is
    being erased), and return whether it had been learnt."""
    with transaction.atomic():
        label = SpamLabel.objects.filter(comment_id=comment.pk).first()
        if label is None:
            return False
        counts = _locked_counts()
        _count(label.tokens.split("\n"), is_spam=label.is_spam, step=-1, counts=counts)
        label.delete()
    return True


def settled_comments(*, now: datetime) -> QuerySet:
    """Published comments that have stood a week without a report or a hide and were never
    learnt: legitimate by the community's silence. Staff comments are left out (they are
    never scored, and a moderator may quote spam to explain a removal); newest first."""
    reported = Report.objects.filter(comment_id=OuterRef("pk"))
    removed = ModerationEvent.objects.filter(
        comment_id=OuterRef("pk"), to_status__in=[Comment.Status.HIDDEN, Comment.Status.SPAM]
    )
    learnt = SpamLabel.objects.filter(comment_id=OuterRef("pk"))
    return (
        Comment.objects.published()
        .filter(created_at__lte=now - SETTLED_AFTER)
        .exclude(body="")
        .exclude(user__is_staff=True)
        .filter(~Exists(reported), ~Exists(removed), ~Exists(learnt))
        .order_by("-created_at", "-pk")
    )


def settled_learn(*, now: datetime | None = None, batch: int = SETTLE_BATCH) -> int:
    """Learn up to ``batch`` settled comments as legitimate (``settled_comments``) and
    return how many. Each in its own transaction with its row locked and checked again, so
    a moderator acting on it meanwhile wins."""
    now = now or timezone.now()
    learnt = 0
    for pk in list(settled_comments(now=now).values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            settled = settled_comments(now=now).select_for_update(of=("self",))
            comment = settled.filter(pk=pk).first()
            if comment is not None and comment_learn(comment=comment, is_spam=False, only_new=True):
                learnt += 1
    return learnt
