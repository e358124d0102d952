"""Akismet, a second opinion on spam beside the site's own filter, through the ``akismet``
package, when ``AKISMET_API_KEY`` and ``AKISMET_BLOG_URL`` are set.

Each new comment is checked before it is stored (``akismet_check``), with a short timeout.
Whatever goes wrong (a timeout, a server that is down or answers with an error, an
invalid key, an answer the library does not understand: every ``akismet.AkismetError``)
is logged and the comment is posted as if Akismet had not been asked; the moderator reads
"no answer" and why. What Akismet says is a fact for the moderation policy
(``comments.moderation``: its spam holds a comment, never spams it on its own) and an
opinion stored beside the local filter's (``CommentAssessment``, source ``akismet``).

Moderators' decisions go back to Akismet from the task worker (``akismet_feedback``):
submit-spam for spam Akismet let through, submit-ham for a comment it called spam that a
moderator published. The site keeps no IP addresses (only their hashes), so a submission
carries the text, author, e-mail address, browser and address of the comment, without the
sender's IP address.
"""

import logging
from dataclasses import dataclass

import akismet
import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import User
from blog.models import Post
from comments.models import Comment, CommentAssessment

log = logging.getLogger(__name__)

Verdict = CommentAssessment.Verdict

# Configurations whose key Akismet has confirmed in this process: verify-key once, then
# comment-check alone (an invalid key still shows, as every answer then says "invalid").
_verified: set[tuple[str, str, str]] = set()


@dataclass(frozen=True)
class AkismetOpinion:
    """Akismet's answer on one comment: ``verdict`` (publish for ham, spam, or unknown
    when it could not be had) and the sentence a moderator reads."""

    verdict: str
    explanation: str

    @property
    def says_spam(self) -> bool:
        return self.verdict == Verdict.SPAM


def akismet_enabled() -> bool:
    """Whether the site asks Akismet: both its key and the site's address are set."""
    return bool(settings.AKISMET_API_KEY and settings.AKISMET_BLOG_URL)


class _Endpoint(httpx.HTTPTransport):
    """Sends each request to ``AKISMET_API_URL`` instead of Akismet, path and all."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = httpx.URL(url)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._url.scheme, host=self._url.host, port=self._url.port
        )
        return super().handle_request(request)


def _http_client() -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": akismet.USER_AGENT},
        timeout=settings.AKISMET_TIMEOUT_MS / 1000,
        transport=_Endpoint(settings.AKISMET_API_URL) if settings.AKISMET_API_URL else None,
    )


def _client(http: httpx.Client) -> akismet.SyncClient:
    """A client for the configured key, verified with Akismet the first time."""
    config = akismet.Config(key=settings.AKISMET_API_KEY, url=settings.AKISMET_BLOG_URL)
    known = (config.key, config.url, settings.AKISMET_API_URL)
    if known in _verified:
        return akismet.SyncClient(config=config, http_client=http)
    client = akismet.SyncClient.validated_client(config=config, http_client=http)
    _verified.add(known)
    return client


def _failure(error: Exception) -> str:
    """What went wrong, in words for a moderator."""
    if isinstance(error, akismet.APIKeyError):
        return _("the API key or site address was refused")
    if isinstance(error, akismet.ProtocolError):
        return _("its answer made no sense")
    if isinstance(error.__cause__, httpx.TimeoutException):
        return _("it took too long to answer")
    if isinstance(error.__cause__, httpx.HTTPStatusError):
        return _("it answered with an error")
    return _("it could not be reached")


def akismet_check(
    *, body: str, author: str, email: str, ip: str, user_agent: str, permalink: str
) -> AkismetOpinion | None:
    """Ask Akismet about a new comment; None when Akismet is not configured. Never raises
    for Akismet's sake: a failure is logged and comes back as an unknown verdict."""
    if not akismet_enabled():
        return None
    try:
        with _http_client() as http:
            answer = _client(http).comment_check(
                user_ip=ip,
                user_agent=user_agent,
                comment_content=body,
                comment_type="comment",
                comment_author=author,
                comment_author_email=email,
                permalink=permalink,
                blog_lang=settings.LANGUAGE_CODE,
                blog_charset="UTF-8",
                is_test=settings.DEBUG,
            )
    except (akismet.AkismetError, httpx.HTTPError) as error:
        reason = _failure(error)
        log.warning("Akismet gave no opinion on a new comment: %s (%s)", reason, error)
        return AkismetOpinion(Verdict.UNKNOWN, _("no answer: %(reason)s") % {"reason": reason})
    if answer == akismet.CheckResponse.DISCARD:
        return AkismetOpinion(Verdict.SPAM, _("blatant spam"))
    if answer == akismet.CheckResponse.SPAM:
        return AkismetOpinion(Verdict.SPAM, _("spam"))
    return AkismetOpinion(Verdict.PUBLISH, _("not spam"))


def akismet_check_new(
    *,
    post: Post,
    body: str,
    user: User | None,
    guest_name: str,
    guest_email: str,
    ip: str,
    user_agent: str,
) -> AkismetOpinion | None:
    """Akismet's opinion of a new comment on ``post`` by ``user`` (None for a guest), or
    None when Akismet is not configured or the sender is staff (never held)."""
    if user is not None and user.is_staff:
        return None
    return akismet_check(
        body=body,
        author=user.public_name if user is not None else guest_name,
        email=user.email if user is not None else guest_email,
        ip=ip,
        user_agent=user_agent,
        permalink=settings.SITE_URL + post.get_absolute_url(),
    )


def feedback_for(*, is_spam: bool, akismet_verdict: str | None) -> str | None:
    """What to tell Akismet of a moderator's decision (``is_spam``) on a comment it judged
    ``akismet_verdict`` (None: never asked): ``"spam"`` for spam it did not catch,
    ``"ham"`` for a comment it called spam that the moderator published, or None when it
    was right (or had no opinion on a comment that is fine)."""
    if is_spam:
        return "spam" if akismet_verdict != Verdict.SPAM else None
    return "ham" if akismet_verdict == Verdict.SPAM else None


def akismet_submit(*, comment: Comment, as_spam: bool) -> bool:
    """Send ``comment`` to Akismet as spam (``as_spam``) or as ham, and return whether
    Akismet took it. Never raises for Akismet's sake: a failure is logged."""
    if not akismet_enabled():
        return False
    submit = "submit_spam" if as_spam else "submit_ham"
    try:
        with _http_client() as http:
            return getattr(_client(http), submit)(
                user_ip="",
                user_agent=comment.user_agent,
                comment_content=comment.body,
                comment_type="comment",
                comment_author=comment.author_name,
                comment_author_email=comment.author_email,
                permalink=settings.SITE_URL + comment.get_absolute_url(),
                is_test=settings.DEBUG,
            )
    except (akismet.AkismetError, httpx.HTTPError) as error:
        log.warning(
            "Akismet did not take comment %s as %s: %s (%s)",
            comment.pk,
            "spam" if as_spam else "ham",
            _failure(error),
            error,
        )
        return False


def akismet_opinion_record(*, comment: Comment, opinion: AkismetOpinion) -> CommentAssessment:
    """Store Akismet's opinion of ``comment`` beside the local filter's, replacing an
    earlier one. One query."""
    assessment = CommentAssessment(
        comment=comment,
        source=CommentAssessment.Source.AKISMET,
        score=None,
        verdict=opinion.verdict,
        explanation=opinion.explanation[:255],
        created_at=comment.created_at,
    )
    CommentAssessment.objects.bulk_create(
        [assessment],
        update_conflicts=True,
        unique_fields=["comment", "source"],
        update_fields=["verdict", "explanation", "created_at"],
    )
    return assessment
