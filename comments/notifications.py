"""E-mails about comments (a new one, one hidden by a moderator, the answer to an appeal),
and the signed links in them: links that stop those e-mails (``comments.services.
subscriptions`` stops them), and the link that lets a hidden comment's author appeal
(``comments.views.appeals``).

Two kinds of e-mail go out when a comment is published: to the author of the comment it
replies to, if they asked for replies, and to the article's author, unless they turned that
off. Each carries a link that stops that kind of e-mail without signing in: a signed token
naming the comment (reply e-mails) or the member (article e-mails).
"""

import email.message
import email.policy
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from comments.models import Appeal, Comment
from core.mail import plain_message

UNSUBSCRIBE_SALT = "comments.notifications.unsubscribe"
APPEAL_SALT = "comments.notifications.appeal"
EXCERPT_CHARS = 300


class Kind(StrEnum):
    """What an unsubscribe link stops."""

    REPLIES = "reply"  # replies to one comment
    POST_COMMENTS = "post"  # comments on a member's articles


class UnsubscribeLinkInvalid(Exception):
    """An unsubscribe token that is tampered with, malformed, or names nothing any more."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Subscription:
    """What an unsubscribe link names: replies to ``comment``, or comments on ``user``'s
    articles."""

    kind: Kind
    comment: Comment | None = None
    user: User | None = None

    @property
    def is_active(self) -> bool:
        if self.kind is Kind.REPLIES:
            return self.comment is not None and self.comment.notify_on_reply
        return self.user is not None and self.user.notify_on_post_comments


# --- Tokens -------------------------------------------------------------------


def unsubscribe_token(*, kind: Kind, pk: int) -> str:
    """A signed, URL-safe token naming what to stop. It does not expire."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"k": str(kind), "pk": pk})


def unsubscribe_url(*, kind: Kind, pk: int) -> str:
    """The absolute address of the page that stops what the token names."""
    token = unsubscribe_token(kind=kind, pk=pk)
    return settings.SITE_URL + reverse("comments:unsubscribe", kwargs={"token": token})


def subscription_from_token(*, token: str) -> Subscription:
    """Read a token made by ``unsubscribe_token`` and fetch what it names.

    Raises ``UnsubscribeLinkInvalid`` for a token that is not ours, has been changed, or
    names a comment or member that no longer exists.
    """
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        kind = Kind(data["k"])
        pk = data["pk"]
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise UnsubscribeLinkInvalid(
            _(
                "This unsubscribe link isn’t complete or has been changed. Please copy the "
                "whole link from the e-mail and try again."
            )
        ) from None
    if kind is Kind.REPLIES:
        comment = Comment.objects.select_related("post").filter(pk=pk).first()
        if comment is not None:
            return Subscription(kind=kind, comment=comment)
    else:
        user = User.objects.filter(pk=pk).first()
        if user is not None:
            return Subscription(kind=kind, user=user)
    raise UnsubscribeLinkInvalid(
        _(
            "This unsubscribe link is for a comment or an account that no longer exists, "
            "so there are no e-mails left to stop."
        )
    )


class AppealLinkInvalid(Exception):
    """An appeal link that is tampered with, malformed, out of date, or names a comment that
    no longer exists; ``message`` says which, for the person who followed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def appeal_url(*, comment_id: int) -> str:
    """The absolute address of the page where comment ``comment_id``'s author appeals against
    its removal: a signed token naming the comment and when the link was made, which works
    for ``COMMENT_APPEAL_DAYS`` days."""
    token = signing.dumps({"c": comment_id}, salt=APPEAL_SALT)
    return settings.SITE_URL + reverse("comments:appeal", kwargs={"token": token})


def appeal_comment_from_token(*, token: str) -> Comment:
    """The comment an appeal link made by ``appeal_url`` names, with its post, member,
    guideline and appeal. Raises ``AppealLinkInvalid`` for a link that is older than
    ``COMMENT_APPEAL_DAYS`` days, not ours or changed, or names a comment that is gone."""
    days = settings.COMMENT_APPEAL_DAYS
    try:
        comment_id = signing.loads(token, salt=APPEAL_SALT, max_age=timedelta(days=days))["c"]
    except signing.SignatureExpired:
        raise AppealLinkInvalid(
            _(
                "This appeal link has expired: a removal can be appealed for %(days)s days "
                "after the e-mail about it."
            )
            % {"days": days}
        ) from None
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        raise AppealLinkInvalid(
            _(
                "This appeal link isn’t complete or has been changed. Please copy the whole "
                "link from the e-mail and try again."
            )
        ) from None
    comment = (
        Comment.objects.select_related("post", "user", "guideline", "appeal")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise AppealLinkInvalid(_("The comment this link is about no longer exists."))
    return comment


# --- E-mails -----------------------------------------------------------------


def _same_address(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.strip().lower() == b.strip().lower()


def wrote_comment(*, comment: Comment, user_id: int | None, address: str) -> bool:
    """Whether ``comment`` was written by the person with this account or address."""
    if user_id is not None and comment.user_id == user_id:
        return True
    return _same_address(comment.author_email, address)


def comment_notifications_send(*, comment: Comment) -> list[str]:
    """E-mail the people who asked to hear about ``comment`` and return their addresses.

    Sends nothing for a comment that is not published. The author of the comment it replies
    to gets a reply e-mail if they asked for one; the article's author gets one if their
    switch is on. Nobody is told about their own comment, members whose account is
    deactivated get nothing, and an address gets at most one e-mail per comment (the reply
    one when both apply).
    """
    if comment.status != Comment.Status.PUBLISHED:
        return []
    messages: list[EmailMultiAlternatives] = []
    sent_to: list[str] = []

    parent = comment.parent
    if (
        parent is not None
        and parent.notify_on_reply
        and parent.author_email
        and (parent.user is None or parent.user.is_active)
        and not wrote_comment(comment=comment, user_id=parent.user_id, address=parent.author_email)
    ):
        messages.append(
            _message(
                template="reply_notification",
                to=parent.author_email,
                comment=comment,
                recipient_name=parent.author_name,
                unsubscribe=unsubscribe_url(kind=Kind.REPLIES, pk=parent.pk),
            )
        )
        sent_to.append(parent.author_email)

    author = comment.post.author
    if (
        author is not None
        and author.notify_on_post_comments
        and author.is_active
        and author.email
        and not wrote_comment(comment=comment, user_id=author.pk, address=author.email)
        and not any(_same_address(author.email, address) for address in sent_to)
    ):
        messages.append(
            _message(
                template="post_comment_notification",
                to=author.email,
                comment=comment,
                recipient_name=author.public_name,
                unsubscribe=unsubscribe_url(kind=Kind.POST_COMMENTS, pk=author.pk),
            )
        )
        sent_to.append(author.email)

    if messages:
        mailers.default.send_messages(messages)
    return sent_to


def _message(
    *, template: str, to: str, comment: Comment, recipient_name: str, unsubscribe: str
) -> EmailMultiAlternatives:
    context = {
        "site_name": settings.SITE_NAME,
        "recipient_name": recipient_name,
        "commenter_name": comment.author_name,
        "post_title": comment.post.title,
        "excerpt": Truncator(comment.body).chars(EXCERPT_CHARS),
        "comment_url": settings.SITE_URL + comment.get_absolute_url(),
        "unsubscribe_url": unsubscribe,
    }
    # Sent from a worker, outside any request: use the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"comments/email/{template}_subject.txt", context)
        body = render_to_string(f"comments/email/{template}.txt", context)
    return NotificationEmail(
        subject=" ".join(subject.split()),
        body=body,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "Auto-Submitted": "auto-generated",
        },
    )


def comment_hidden_message(comment: Comment) -> EmailMessage:
    """The e-mail telling ``comment``'s author that a moderator hid it: the guideline it
    broke (number, title, link) and the start of the comment."""
    guideline = comment.guideline
    context = {
        "site_name": settings.SITE_NAME,
        "recipient_name": comment.author_name,
        "post_title": comment.post.title,
        "post_url": settings.SITE_URL + comment.post.get_absolute_url(),
        "excerpt": Truncator(comment.body).chars(EXCERPT_CHARS),
        "guideline_number": guideline.number,
        "guideline_title": guideline.title,
        "guideline_url": settings.SITE_URL + guideline.get_absolute_url(),
        "appeal_url": appeal_url(comment_id=comment.pk),
        "appeal_days": settings.COMMENT_APPEAL_DAYS,
    }
    return _plain_message("comment_hidden", context, to=comment.author_email)


def appeal_decision_message(appeal: Appeal) -> EmailMessage:
    """The e-mail telling an appeal's author what a moderator decided: the comment restored
    (with a link to it) or its removal upheld, with the moderator's note."""
    comment = appeal.comment
    context = {
        "site_name": settings.SITE_NAME,
        "recipient_name": comment.author_name,
        "post_title": comment.post.title,
        "restored": appeal.decision == Appeal.Decision.RESTORED,
        "note": appeal.decision_note,
        "excerpt": Truncator(comment.body).chars(EXCERPT_CHARS),
        "comment_url": settings.SITE_URL + comment.get_absolute_url(),
        "guidelines_url": settings.SITE_URL + reverse("guidelines"),
    }
    return _plain_message("appeal_decided", context, to=comment.author_email)


def _plain_message(template: str, context: dict, *, to: str) -> EmailMessage:
    return plain_message(f"comments/email/{template}", context, to=to)


class _OneLineHeader(str):
    """A header value written out on one line as it is. Python's e-mail package folds a
    long value with no spaces by RFC 2047-encoding it, and mail providers ignore a
    List-Unsubscribe header written that way."""

    def __new__(cls, name: str, value: str) -> "_OneLineHeader":
        if "\r" in value or "\n" in value:
            raise ValueError(f"A {name} header must be one line.")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy: email.policy.Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


class NotificationEmail(EmailMultiAlternatives):
    """A notification e-mail whose List-Unsubscribe link survives being sent."""

    def message(
        self, *, policy: email.policy.Policy = email.policy.default
    ) -> email.message.EmailMessage:
        msg = super().message(policy=policy)
        link = self.extra_headers.get("List-Unsubscribe")
        if link:
            msg.replace_header("List-Unsubscribe", _OneLineHeader("List-Unsubscribe", link))
        return msg
