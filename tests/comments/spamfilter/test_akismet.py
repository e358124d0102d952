"""Akismet as a second opinion (``comments.akismet``), against a local server speaking its
protocol (tests/akismet_server.py): comments posted through HTTP are checked, Akismet's
spam holds them (spam only when the local filter says spam too), every failure of the
service leaves posting alone, both opinions reach the moderators in the admin, and their
decisions go back to Akismet from the task worker."""

import logging

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from comments import akismet
from comments.models import Comment, CommentAssessment, DiscussionSettings, ModerationEvent
from comments.moderation import AKISMET, SPAM_FILTER, Verdict, assess_comment
from comments.services import comment_approve, comment_mark_spam, discussion_settings_save
from comments.tasks import send_akismet_feedback
from tests.akismet_server import BLOG_URL, VALID_KEY, AkismetServer
from tests.comments.spamfilter.helpers import spam_body
from tests.factories import CommentFactory, PostFactory, UserFactory, comment_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_quick_forms")]

PUBLISHED = Comment.Status.PUBLISHED
PENDING = Comment.Status.PENDING
SPAM = Comment.Status.SPAM
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


@pytest.fixture
def server():
    akismet._verified.clear()
    running = AkismetServer().start()
    yield running
    running.stop()
    akismet._verified.clear()


@pytest.fixture
def configured(settings, server, no_flood):
    """Akismet on, asking the local server, with a short timeout."""
    settings.AKISMET_API_KEY = VALID_KEY
    settings.AKISMET_BLOG_URL = BLOG_URL
    settings.AKISMET_API_URL = server.url
    settings.AKISMET_TIMEOUT_MS = 300
    return server


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the services queue for after the commit (the test's transaction never
    commits)."""
    return django_capture_on_commit_callbacks


def send(client, body: str, **fields) -> Comment:
    post = PostFactory()
    data = comment_form_data(body=body, **fields)
    response = client.post(reverse("comments:post", args=[post.pk]), data, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    return Comment.objects.get(post=post)


def opinion_of(comment: Comment) -> tuple[str, str] | None:
    found = CommentAssessment.objects.filter(
        comment=comment, source=CommentAssessment.Source.AKISMET
    ).first()
    return (found.verdict, found.explanation) if found else None


def rule_and_note(comment: Comment) -> tuple[str, str] | None:
    event = ModerationEvent.objects.filter(comment=comment, actor=None).first()
    return (event.rule, event.note) if event else None


# --- Posting ------------------------------------------------------------------------------


def test_without_a_key_akismet_is_never_asked(client, settings, server, no_flood):
    settings.AKISMET_API_KEY = ""
    settings.AKISMET_BLOG_URL = BLOG_URL
    settings.AKISMET_API_URL = server.url

    comment = send(client, "Casino tonight!")

    assert comment.status == PUBLISHED
    assert server.requests == []
    assert opinion_of(comment) is None


def test_a_comment_is_checked_once_the_key_is_verified(client, configured):
    first = send(client, "The weir was cleared last spring.", name="Ann", email="ann@example.org")
    second = send(client, "And the culvert too.", name="Ann", email="ann@example.org")

    assert configured.endpoints() == ["verify-key", "comment-check", "comment-check"]
    _, verified = configured.requests[0]
    assert (verified["key"], verified["blog"]) == (VALID_KEY, BLOG_URL)
    _, checked = configured.requests[1]
    assert checked["api_key"] == VALID_KEY
    assert checked["comment_content"] == "The weir was cleared last spring."
    assert (checked["comment_author"], checked["comment_author_email"]) == (
        "Ann",
        "ann@example.org",
    )
    assert (checked["user_ip"], checked["user_agent"]) == ("127.0.0.1", BROWSER)
    assert checked["comment_type"] == "comment"
    assert checked["permalink"] == f"http://127.0.0.1:8000{first.post.get_absolute_url()}"
    for comment in (first, second):
        assert comment.status == PUBLISHED
        assert opinion_of(comment) == (CommentAssessment.Verdict.PUBLISH, "not spam")


@pytest.mark.parametrize(
    ("body", "explanation"),
    [("Casino tonight, big wins!", "spam"), ("Replica watches, cheap.", "blatant spam")],
)
def test_akismets_spam_holds_the_comment_and_never_spams_it_alone(
    client, configured, body, explanation
):
    comment = send(client, body)

    assert comment.status == PENDING
    assert opinion_of(comment) == (CommentAssessment.Verdict.SPAM, explanation)
    assert rule_and_note(comment) == (AKISMET, f"Akismet: {explanation}")


def test_akismets_spam_with_the_local_filters_spam_is_spam(client, configured, trained):
    trained.spam_filter_spam_score = 0.9
    discussion_settings_save(settings=trained)
    configured.spam_words.add("offer")  # in every spam_body()

    comment = send(client, spam_body())

    assert comment.status == SPAM
    rule, note = rule_and_note(comment)
    assert rule == SPAM_FILTER
    assert note.startswith("spam: ")
    assert note.endswith("; Akismet: spam")
    sources = set(comment.assessments.values_list("source", "verdict"))
    assert sources == {("local", "spam"), ("akismet", "spam")}


def test_a_trusted_commenter_is_still_held_by_akismet(client, configured):
    member = UserFactory()
    for _ in range(3):
        CommentFactory(member=True, user=member)
    client.force_login(member)

    comment = send(client, "Casino night at the club!")

    assert (comment.status, rule_and_note(comment)[0]) == (PENDING, AKISMET)
    _, checked = configured.requests[-1]
    assert (checked["comment_author"], checked["comment_author_email"]) == (
        member.public_name,
        member.email,
    )


def test_staff_are_not_checked(client, configured):
    client.force_login(UserFactory(moderator=True))

    assert send(client, "Casino, quoted to explain a removal.").status == PUBLISHED
    assert configured.requests == []


@pytest.mark.parametrize(
    ("trouble", "reason"),
    [
        ("hang", "it took too long to answer"),
        ("stop", "it could not be reached"),
        ("error", "it answered with an error"),
        ("wrong key", "the API key or site address was refused"),
        ("key revoked", "the API key or site address was refused"),
    ],
)
def test_a_failing_service_never_blocks_posting(
    client, configured, settings, caplog, trouble, reason
):
    if trouble == "key revoked":
        # Verified when this process first asked; refused by Akismet since.
        settings.AKISMET_API_KEY = "revoked"
        akismet._verified.add(("revoked", BLOG_URL, configured.url))
    match trouble:
        case "hang":
            configured.hang()
        case "stop":
            configured.stop()
        case "error":
            configured.fail_with = 500
        case "wrong key":
            settings.AKISMET_API_KEY = "not-the-key"

    with caplog.at_level(logging.WARNING, logger="comments.akismet"):
        comment = send(client, "Casino tonight, big wins!")

    assert comment.status == PUBLISHED
    assert opinion_of(comment) == (CommentAssessment.Verdict.UNKNOWN, f"no answer: {reason}")
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        f"Akismet gave no opinion on a new comment: {reason}"
    ]


def test_an_answer_outside_akismets_protocol_is_no_opinion(client, configured):
    configured.check_answer = "maybe"

    comment = send(client, "Is this spam? Maybe.")

    assert comment.status == PUBLISHED
    assert opinion_of(comment) == (
        CommentAssessment.Verdict.UNKNOWN,
        "no answer: its answer made no sense",
    )


# --- Moderators see both opinions ------------------------------------------------------------


def test_the_held_queue_and_the_comment_page_show_both_opinions(client, configured, trained):
    configured.spam_words.add("offer")  # in every spam_body()
    comment = send(client, spam_body())
    client.force_login(UserFactory(moderator=True))

    queue = client.get(reverse("admin:comments_comment_held")).text
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text
    log = client.get(reverse("admin:comments_moderationevent_changelist")).text

    for shown in (queue, page):
        assert "Spam filter: held: " in shown
        assert "Akismet: spam" in shown
    assert "Akismet: spam" in log


# --- Decisions go back to Akismet --------------------------------------------------------------


def admin_action(client, action: str, comment: Comment):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [comment.pk], "index": "0"}
    return client.post(reverse("admin:comments_comment_changelist"), data)


def test_spam_akismet_missed_is_sent_as_spam_from_the_admin(client, configured, on_commit):
    comment = send(client, "Visit my shop for great deals on shoes.")
    configured.requests.clear()
    client.force_login(UserFactory(moderator=True))

    with on_commit(execute=True):
        assert admin_action(client, "mark_spam", comment).status_code == 302

    assert configured.endpoints() == ["submit-spam"]
    _, sent = configured.requests[0]
    assert sent["comment_content"] == "Visit my shop for great deals on shoes."
    assert sent["permalink"] == f"http://127.0.0.1:8000{comment.get_absolute_url()}"
    assert (sent["user_agent"], sent["user_ip"]) == (BROWSER, "")


def test_a_comment_akismet_called_spam_approved_is_sent_as_ham(client, configured, on_commit):
    comment = send(client, "The casino on the old pier closed in 1998.")
    assert comment.status == PENDING
    configured.requests.clear()
    client.force_login(UserFactory(moderator=True))

    with on_commit(execute=True):
        assert admin_action(client, "approve_comments", comment).status_code == 302

    assert configured.endpoints() == ["submit-ham"]
    assert Comment.objects.get(pk=comment.pk).status == PUBLISHED


def test_nothing_is_sent_when_akismet_was_right(client, configured, on_commit):
    comment = send(client, "Casino tonight, big wins!")
    configured.requests.clear()

    with on_commit(execute=True):
        comment_mark_spam(comment=comment, moderator=UserFactory(moderator=True))

    assert configured.requests == []


def test_a_failed_submission_leaves_the_decision_standing(client, configured, caplog, on_commit):
    comment = send(client, "Visit my shop for great deals on shoes.")
    configured.stop()

    with caplog.at_level(logging.WARNING, logger="comments.akismet"), on_commit(execute=True):
        comment_mark_spam(comment=comment, moderator=UserFactory(moderator=True))

    assert Comment.objects.get(pk=comment.pk).status == SPAM
    assert f"Akismet did not take comment {comment.pk} as spam" in caplog.text


@pytest.mark.parametrize(
    ("status", "is_spam", "answer"),
    [(PUBLISHED, True, "undone"), (SPAM, False, "undone"), (SPAM, True, "spam")],
)
def test_the_task_sends_only_a_decision_that_still_stands(configured, status, is_spam, answer):
    comment = CommentFactory(status=status)

    result = send_akismet_feedback.enqueue(comment_id=comment.pk, is_spam=is_spam)

    assert result.return_value == answer


def test_without_a_key_decisions_are_not_sent(configured, settings, on_commit):
    settings.AKISMET_API_KEY = ""
    comment = CommentFactory(pending=True)

    with on_commit(execute=True):
        comment_approve(comment=comment, moderator=UserFactory(moderator=True))
        comment_mark_spam(comment=comment, moderator=UserFactory(moderator=True))

    assert configured.requests == []


# --- The rules alone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("is_spam", "akismet_verdict", "feedback"),
    [
        (True, "publish", "spam"),
        (True, "unknown", "spam"),
        (True, None, "spam"),
        (True, "spam", None),
        (False, "spam", "ham"),
        (False, "publish", None),
        (False, None, None),
    ],
)
def test_what_a_decision_tells_akismet(is_spam, akismet_verdict, feedback):
    assert akismet.feedback_for(is_spam=is_spam, akismet_verdict=akismet_verdict) == feedback


@pytest.mark.parametrize(
    ("spam_score", "akismet_says_spam", "verdict"),
    [
        (None, True, Verdict(PENDING, (AKISMET,))),
        (0.5, True, Verdict(PENDING, (AKISMET,))),
        (0.95, True, Verdict(PENDING, (SPAM_FILTER, AKISMET))),
        (0.995, True, Verdict(SPAM, (SPAM_FILTER,))),
        (0.995, False, Verdict(SPAM, (SPAM_FILTER,))),
        (None, False, Verdict(PUBLISHED, ())),
    ],
)
def test_how_akismets_verdict_combines_with_the_local_filters(
    spam_score, akismet_says_spam, verdict
):
    settings = DiscussionSettings(spam_filter_hold_score=0.9, spam_filter_spam_score=0.99)

    assessed = assess_comment(
        body="Hello.",
        settings=settings,
        is_first_time=False,
        spam_score=spam_score,
        akismet_says_spam=akismet_says_spam,
    )

    assert assessed == verdict
