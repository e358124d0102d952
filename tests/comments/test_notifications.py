"""E-mails about new comments, and the signed links in them that stop those e-mails."""

import email.policy
import itertools
import re

import pytest
from django.core import mail, signing
from django.tasks.base import TaskResultStatus
from django.urls import reverse

from comments.models import Comment
from comments.notifications import (
    EXCERPT_CHARS,
    UNSUBSCRIBE_SALT,
    Kind,
    unsubscribe_token,
)
from comments.services import comment_create
from comments.tasks import send_comment_notifications
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://tribune.example"
UNSUBSCRIBE_TEMPLATE = "comments/unsubscribe.html"

_bodies = itertools.count(1)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def say(no_flood, django_capture_on_commit_callbacks):
    """Post a comment through the service and run what it queues on commit."""

    def say(post, *, body: str | None = None, **kwargs) -> Comment:
        with django_capture_on_commit_callbacks(execute=True):
            return comment_create(
                post=post, body=body or f"A thoughtful remark, number {next(_bodies)}.", **kwargs
            )

    return say


@pytest.fixture
def quiet_post():
    """A post whose author does not want e-mails about comments, so only replies mail."""
    return PostFactory(author__notify_on_post_comments=False)


def guest(name: str, email: str, **kwargs) -> dict:
    return {"guest_name": name, "guest_email": email, **kwargs}


def link_in(text: str, start: str) -> str:
    return re.search(rf"{re.escape(start)}\S+", text).group(0)


# --- Who gets an e-mail -------------------------------------------------------


def test_reply_emails_the_parent_author_who_asked_for_replies(say, quiet_post):
    parent = say(quiet_post, **guest("Ada", "ada@example.com", notify_on_reply=True))
    reply = say(quiet_post, parent_id=parent.pk, body="I agree.", **guest("Bo", "bo@example.com"))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == f"Bo replied to your comment on “{quiet_post.title}”"
    assert "Hello Ada," in message.body
    assert "I agree." in message.body
    assert f"{SITE_URL}{reply.get_absolute_url()}" in message.body


def test_reply_sends_nothing_when_the_parent_author_did_not_ask(say, quiet_post):
    parent = say(quiet_post, **guest("Ada", "ada@example.com", notify_on_reply=False))
    say(quiet_post, parent_id=parent.pk, **guest("Bo", "bo@example.com"))

    assert mail.outbox == []


def test_reply_to_your_own_comment_as_a_member_sends_you_nothing(say, quiet_post):
    member = UserFactory()
    parent = say(quiet_post, user=member, notify_on_reply=True)
    say(quiet_post, user=member, parent_id=parent.pk)

    assert mail.outbox == []


def test_reply_to_your_own_comment_as_a_guest_sends_you_nothing(say, quiet_post):
    parent = say(quiet_post, **guest("Ada", "ada@example.com", notify_on_reply=True))
    say(quiet_post, parent_id=parent.pk, **guest("Ada again", "ADA@Example.com"))

    assert mail.outbox == []


def test_guest_reply_to_a_member_with_the_same_address_sends_nothing(say, quiet_post):
    member = UserFactory(email="ada@example.com")
    parent = say(quiet_post, user=member, notify_on_reply=True)
    say(quiet_post, parent_id=parent.pk, **guest("Ada", "Ada@example.com"))

    assert mail.outbox == []


def test_post_author_is_emailed_about_a_new_comment(say):
    post = PostFactory(author__display_name="Rosa Editor")
    comment = say(post, body="Great piece.", **guest("Bo", "bo@example.com"))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [post.author.email]
    assert message.subject == f"Bo commented on “{post.title}”"
    assert "Hello Rosa Editor," in message.body
    assert "Great piece." in message.body
    assert f"{SITE_URL}{comment.get_absolute_url()}" in message.body


def test_post_author_who_turned_it_off_gets_nothing(say):
    post = PostFactory(author__notify_on_post_comments=False)
    say(post, **guest("Bo", "bo@example.com"))

    assert mail.outbox == []


def test_post_author_commenting_on_their_own_article_gets_nothing(say):
    post = PostFactory()
    say(post, user=post.author)

    assert mail.outbox == []


def test_deactivated_post_author_gets_nothing(say):
    post = PostFactory(author__is_active=False)
    say(post, **guest("Bo", "bo@example.com"))

    assert mail.outbox == []


def test_post_author_who_asked_for_replies_gets_one_email_not_two(say):
    post = PostFactory()
    parent = say(post, user=post.author, notify_on_reply=True)
    say(post, parent_id=parent.pk, **guest("Bo", "bo@example.com"))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [post.author.email]
    assert "replied to your comment" in message.subject
    reply_link = SITE_URL + reverse(
        "comments:unsubscribe", kwargs={"token": unsubscribe_token(kind=Kind.REPLIES, pk=parent.pk)}
    )
    assert reply_link in message.body


def test_parent_author_and_post_author_each_get_their_email(say):
    post = PostFactory()
    parent = say(post, **guest("Ada", "ada@example.com", notify_on_reply=True))
    say(post, parent_id=parent.pk, **guest("Bo", "bo@example.com"))

    by_address = {message.to[0]: message.subject for message in mail.outbox}
    assert len(mail.outbox) == 3  # the parent's own comment told the post author too
    assert "replied to your comment" in by_address["ada@example.com"]
    assert [m.subject for m in mail.outbox if m.to == [post.author.email]] == [
        f"Ada commented on “{post.title}”",
        f"Bo commented on “{post.title}”",
    ]


def test_pending_comment_sends_nothing():
    parent = CommentFactory(notify_on_reply=True, guest_email="ada@example.com")
    held = CommentFactory(parent=parent, pending=True)

    result = send_comment_notifications.enqueue(comment_id=held.pk)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 0
    assert mail.outbox == []


def test_comment_that_no_longer_exists_sends_nothing():
    result = send_comment_notifications.enqueue(comment_id=999_999)

    assert result.return_value == 0
    assert mail.outbox == []


# --- What the e-mail says -----------------------------------------------------


@pytest.mark.parametrize(
    ("make_parent", "kind"),
    [(True, Kind.REPLIES), (False, Kind.POST_COMMENTS)],
    ids=["reply", "post-author"],
)
def test_email_links_to_the_comment_and_to_its_unsubscribe_page(say, make_parent, kind):
    post = PostFactory(author__notify_on_post_comments=not make_parent)
    parent_id = None
    if make_parent:
        parent_id = say(post, **guest("Ada", "ada@example.com", notify_on_reply=True)).pk
    comment = say(post, parent_id=parent_id, **guest("Bo", "bo@example.com"))

    (message,) = mail.outbox
    token = unsubscribe_token(kind=kind, pk=parent_id if make_parent else post.author.pk)
    unsubscribe = SITE_URL + reverse("comments:unsubscribe", kwargs={"token": token})
    assert f"{SITE_URL}{comment.get_absolute_url()}" in message.body
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.message()["List-Unsubscribe"] == f"<{unsubscribe}>"


def test_unsubscribe_header_is_sent_on_one_line_not_encoded(say):
    # Python folds a long unspaced header into RFC 2047 encoded-words, which mail
    # providers then ignore; the header must go out as the plain link.
    post = PostFactory()
    say(post, **guest("Bo", "bo@example.com"))

    (message,) = mail.outbox
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    header = f"List-Unsubscribe: {message.extra_headers['List-Unsubscribe']}\r\n"
    assert len(header) > 78
    assert header.encode() in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == message.extra_headers["List-Unsubscribe"]


def test_email_is_plain_text_with_the_commenters_words_unescaped(say, quiet_post):
    parent = say(quiet_post, **guest("Ada", "ada@example.com", notify_on_reply=True))
    say(
        quiet_post,
        parent_id=parent.pk,
        body='Use <b>bold</b> & "quotes", it’s fine.',
        **guest("Siobhán O'Brien", "sob@example.com"),
    )

    (message,) = mail.outbox
    assert message.content_subtype == "plain"
    assert message.subject.startswith("Siobhán O'Brien replied")
    assert 'Use <b>bold</b> & "quotes", it’s fine.' in message.body
    assert "&amp;" not in message.body
    assert "&#x27;" not in message.body + message.subject


def test_email_quotes_only_the_start_of_a_long_comment(say, quiet_post):
    parent = say(quiet_post, **guest("Ada", "ada@example.com", notify_on_reply=True))
    body = "word " * 400
    say(quiet_post, parent_id=parent.pk, body=body, **guest("Bo", "bo@example.com"))

    (message,) = mail.outbox
    assert body.strip() not in message.body
    assert "word " * (EXCERPT_CHARS // 5 - 1) in message.body
    assert len(message.body) < len(body)


# --- The unsubscribe page -----------------------------------------------------


def unsubscribe_path(kind: Kind, pk: int) -> str:
    return reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(kind=kind, pk=pk)})


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def test_unsubscribe_link_from_a_reply_email_opens_the_page(client, say, quiet_post):
    parent = say(quiet_post, **guest("Ada", "ada@example.com", notify_on_reply=True))
    say(quiet_post, parent_id=parent.pk, **guest("Bo", "bo@example.com"))

    link = link_in(mail.outbox[0].body, f"{SITE_URL}/comments/unsubscribe/")
    response = client.get(link.removeprefix(SITE_URL))

    assert response.status_code == 200
    assert UNSUBSCRIBE_TEMPLATE in template_names(response)


def test_unsubscribe_page_for_replies_asks_first_and_changes_nothing(
    client, django_assert_max_num_queries
):
    parent = CommentFactory(notify_on_reply=True)

    # Its own two; the site’s navigation (blog.caching) and the version it is kept under.
    with django_assert_max_num_queries(4):
        response = client.get(unsubscribe_path(Kind.REPLIES, parent.pk))

    assert response.status_code == 200
    assert UNSUBSCRIBE_TEMPLATE in template_names(response)
    page = response.content.decode()
    assert "replies to your comment" in page
    assert parent.post.title in page
    assert 'method="post"' in page
    assert "csrfmiddlewaretoken" in page
    assert "Stop these e-mails" in page
    parent.refresh_from_db()
    assert parent.notify_on_reply is True


def test_unsubscribe_page_for_article_comments_asks_first_and_changes_nothing(client):
    author = UserFactory()

    response = client.get(unsubscribe_path(Kind.POST_COMMENTS, author.pk))

    assert response.status_code == 200
    assert "comments on your articles" in response.content.decode()
    author.refresh_from_db()
    assert author.notify_on_post_comments is True


def test_unsubscribe_post_stops_reply_emails_for_that_comment_only(client, say, quiet_post):
    parent = say(quiet_post, **guest("Ada", "ada@example.com", notify_on_reply=True))
    other = say(quiet_post, **guest("Ada", "ada@example.com", notify_on_reply=True))

    response = client.post(unsubscribe_path(Kind.REPLIES, parent.pk))

    assert response.status_code == 200
    assert "won’t get any more e-mails about replies" in response.content.decode()
    parent.refresh_from_db()
    other.refresh_from_db()
    assert parent.notify_on_reply is False
    assert other.notify_on_reply is True
    say(quiet_post, parent_id=parent.pk, **guest("Bo", "bo@example.com"))
    assert mail.outbox == []


def test_unsubscribe_post_stops_article_comment_emails(client, say):
    post = PostFactory()

    response = client.post(unsubscribe_path(Kind.POST_COMMENTS, post.author.pk))

    assert response.status_code == 200
    assert "won’t get any more e-mails about comments" in response.content.decode()
    post.author.refresh_from_db()
    assert post.author.notify_on_post_comments is False
    say(post, **guest("Bo", "bo@example.com"))
    assert mail.outbox == []


def test_unsubscribing_twice_is_harmless(client):
    parent = CommentFactory(notify_on_reply=True)
    path = unsubscribe_path(Kind.REPLIES, parent.pk)

    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200
    parent.refresh_from_db()
    assert parent.notify_on_reply is False


def test_unsubscribe_works_without_signing_in_and_with_csrf_checks(client):
    parent = CommentFactory(notify_on_reply=True)
    path = unsubscribe_path(Kind.REPLIES, parent.pk)
    client.handler.enforce_csrf_checks = True

    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = client.post(path, {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    parent.refresh_from_db()
    assert parent.notify_on_reply is False


def _tampered(pk: int) -> str:
    token = unsubscribe_token(kind=Kind.REPLIES, pk=pk)
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _swapped_payload(pk: int) -> str:
    # The signed part names another comment; the signature is the one for ``pk``.
    payload = unsubscribe_token(kind=Kind.REPLIES, pk=pk + 1).rsplit(":", 1)[0]
    signature = unsubscribe_token(kind=Kind.REPLIES, pk=pk).rsplit(":", 1)[1]
    return f"{payload}:{signature}"


def _signed(value, salt: str = UNSUBSCRIBE_SALT) -> str:
    return signing.Signer(salt=salt).sign_object(value)


@pytest.mark.parametrize(
    "make_token",
    [
        _tampered,
        _swapped_payload,
        lambda pk: "not-a-token",
        lambda pk: _signed({"k": "reply", "pk": pk}, salt="another.salt"),
        lambda pk: _signed({"k": "everything", "pk": pk}),
        lambda pk: _signed(["reply", pk]),
    ],
    ids=["tampered", "swapped-payload", "garbage", "other-salt", "unknown-kind", "wrong-shape"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_unsubscribe_link_gets_a_400_page_and_changes_nothing(client, make_token, method):
    first = CommentFactory(notify_on_reply=True)
    second = CommentFactory(notify_on_reply=True)
    token = make_token(first.pk)

    response = getattr(client, method)(reverse("comments:unsubscribe", kwargs={"token": token}))

    assert response.status_code == 400
    assert UNSUBSCRIBE_TEMPLATE in template_names(response)
    assert "This link doesn’t work" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.notify_on_reply is True
    assert second.notify_on_reply is True


def test_link_for_an_account_that_is_gone_gets_a_400_page(client):
    user = UserFactory()
    path = unsubscribe_path(Kind.POST_COMMENTS, user.pk)
    user.delete()

    response = client.post(path)

    assert response.status_code == 400
    assert "no longer exists" in response.content.decode()


def test_unsubscribe_page_refuses_other_methods(client):
    parent = CommentFactory(notify_on_reply=True)

    response = client.delete(unsubscribe_path(Kind.REPLIES, parent.pk))

    assert response.status_code == 405
    parent.refresh_from_db()
    assert parent.notify_on_reply is True


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_mail_waits_for_the_worker():
    """Production's set-up: posting queues the e-mail; `db_worker` sends it."""
    from django.core.management import call_command
    from django.tasks import task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    task_backends["default"] = DatabaseBackend(
        alias="default", params={"BACKEND": "django_tasks_db.DatabaseBackend"}
    )
    try:
        post = PostFactory(author=UserFactory(email="author@example.org"))
        comment_create(
            post=post,
            body="Queued, not sent.",
            guest_name="Guest",
            guest_email="guest@example.org",
        )
        assert DBTaskResult.objects.count() == 1
        assert mail.outbox == []
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert [m.to for m in mail.outbox] == [["author@example.org"]]
    finally:
        del task_backends["default"]
