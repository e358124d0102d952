"""The signed links and the e-mails of following a discussion.

A guest's confirmation link names the post and the address and works for
``COMMENT_FOLLOW_CONFIRM_DAYS`` days: nothing is stored until it is used. The stop link in
every digest names the follow and never expires; it is also the digest's List-Unsubscribe
address, which mail programs may POST to with one click (RFC 8058).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blog.models import Post
from comments.follows.models import DiscussionFollow
from comments.models import Comment
from comments.notifications import EXCERPT_CHARS, NotificationEmail

CONFIRM_SALT = "comments.follows.confirm"
STOP_SALT = "comments.follows.stop"


class FollowLinkInvalid(Exception):
    """A follow link that is tampered with, malformed or out of date; ``message`` says
    which, for the person who opened it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _changed() -> FollowLinkInvalid:
    return FollowLinkInvalid(
        _(
            "This link isn’t complete or has been changed. Please copy the whole link from "
            "the e-mail and try again."
        )
    )


# --- Confirming a guest's address -----------------------------------------------


@dataclass(frozen=True)
class FollowRequest:
    """What a confirmation link asks for: ``email`` to follow post ``post_id``."""

    post_id: int
    email: str


def confirm_url(*, post_id: int, email: str) -> str:
    """The absolute address of the page where ``email`` confirms following ``post_id``."""
    token = signing.dumps({"p": post_id, "e": email}, salt=CONFIRM_SALT)
    return settings.SITE_URL + reverse("comments:follow_confirm", kwargs={"token": token})


def follow_request_from_token(*, token: str) -> FollowRequest:
    """What a link made by ``confirm_url`` asks for. Raises ``FollowLinkInvalid`` for a link
    that is older than ``COMMENT_FOLLOW_CONFIRM_DAYS`` days, not ours or changed."""
    days = settings.COMMENT_FOLLOW_CONFIRM_DAYS
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=days))
        post_id, email = data["p"], data["e"]
    except signing.SignatureExpired:
        raise FollowLinkInvalid(
            _(
                "This confirmation link has expired: it works for %(days)s days. Please ask "
                "to follow the discussion again from the article."
            )
            % {"days": days}
        ) from None
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        raise _changed() from None
    if not isinstance(post_id, int) or not isinstance(email, str):
        raise _changed()
    return FollowRequest(post_id=post_id, email=email)


def confirmation_message(*, post: Post, email: str) -> EmailMultiAlternatives:
    """The one e-mail an address gets before it is confirmed: the link that confirms it."""
    context = {
        "site_name": settings.SITE_NAME,
        "post_title": post.title,
        "post_url": settings.SITE_URL + post.get_absolute_url(),
        "confirm_url": confirm_url(post_id=post.pk, email=email),
        "days": settings.COMMENT_FOLLOW_CONFIRM_DAYS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        context["period"] = digest_period_words()
        subject = render_to_string("comments/email/follow_confirm_subject.txt", context)
        body = render_to_string("comments/email/follow_confirm.txt", context)
    return EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )


# --- Stopping -----------------------------------------------------------------


def stop_url(*, follow_id: int) -> str:
    """The absolute address that stops follow ``follow_id``'s e-mails. It does not expire."""
    token = signing.Signer(salt=STOP_SALT).sign_object({"f": follow_id})
    return settings.SITE_URL + reverse("comments:follow_stop", kwargs={"token": token})


def follow_id_from_token(*, token: str) -> int:
    """The follow a link made by ``stop_url`` names (it may be gone since). Raises
    ``FollowLinkInvalid`` for a link that is not ours or changed."""
    try:
        follow_id = signing.Signer(salt=STOP_SALT).unsign_object(token)["f"]
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        raise _changed() from None
    if not isinstance(follow_id, int):
        raise _changed()
    return follow_id


# --- The digest ---------------------------------------------------------------


def digest_message(
    *, follow: DiscussionFollow, address: str, comments: list[Comment]
) -> EmailMultiAlternatives:
    """The digest of ``comments`` (published, with their members) for ``follow``, to
    ``address``: each comment's author, start and link, in plain text and HTML, with a
    signed stop link that mail programs can use with one click."""
    post = follow.post
    stop = stop_url(follow_id=follow.pk)
    context = {
        "site_name": settings.SITE_NAME,
        "post_title": post.title,
        "post_url": settings.SITE_URL + post.get_absolute_url(),
        "count": len(comments),
        "comments": [
            {
                "author": comment.author_name,
                "excerpt": Truncator(comment.body).chars(EXCERPT_CHARS),
                "url": settings.SITE_URL + comment.get_absolute_url(),
            }
            for comment in comments
        ],
        "stop_url": stop,
    }
    # Sent from a worker, outside any request: use the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        context["period"] = digest_period_words()
        subject = render_to_string("comments/email/follow_digest_subject.txt", context)
        body = render_to_string("comments/email/follow_digest.txt", context)
        html = render_to_string("comments/email/follow_digest.html", context)
    message = NotificationEmail(
        subject=" ".join(subject.split()),
        body=body,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_period_words() -> str:
    """The digest period as people say it: "hour", "2 hours", "30 minutes"."""
    minutes = settings.COMMENT_FOLLOW_DIGEST_MINUTES
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("hour", "%(n)s hours", hours) % {"n": hours}
    return ngettext("minute", "%(n)s minutes", minutes) % {"n": minutes}
