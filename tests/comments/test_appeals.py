"""Appeals: the hidden-comment e-mail carries a signed link; its author appeals once; a
moderator restores the comment or upholds the removal in the admin, and the author is
e-mailed the decision. Every refusal (an expired or changed link, a second appeal, a comment
no longer hidden) says why and stores nothing."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Appeal, Comment, ModerationEvent
from comments.notifications import appeal_url
from comments.services import comment_hide, comment_restore, post_comments_bump
from comments.services.appeals import AppealRefused, appeal_create, appeal_decide
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_appeal_changelist")
INDEX = reverse("admin:index")


@pytest.fixture
def hidden(moderator, guideline, run_on_commit):
    """A guest's comment a moderator hid, under a published post, with the e-mail sent."""
    post = PostFactory(title="Parking on the high street")
    CommentFactory(post=post, guest_name="Ana", body="A calm reply elsewhere")
    comment = CommentFactory(
        post=post, guest_name="Rex Rude", guest_email="rex@example.org", body="You lot are fools."
    )
    post_comments_bump(post.pk)
    run_on_commit(comment_hide, comment=comment, moderator=moderator, guideline=guideline)
    comment.refresh_from_db()
    return comment


def link_in(message) -> str:
    """The path of the appeal link in an e-mail."""
    url = re.search(r"http://\S+/comments/appeal/\S+/", message.body).group()
    return urlsplit(url).path


def appeal(client: Client, path: str, text: str = "I was quoting him, not insulting anyone."):
    return client.post(path, {"text": text})


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


# --- The link and the form ------------------------------------------------------------------


def test_the_hidden_comment_email_carries_the_appeal_link(hidden, settings):
    (message,) = mail.outbox
    assert message.to == ["rex@example.org"]
    assert "you can ask for a review once, within 14 days:" in message.body
    path = link_in(message)
    assert path.startswith("/comments/appeal/")
    page = Client().get(path)
    assert page.status_code == 200
    assert "You lot are fools." in page.text
    assert "No personal attacks" in page.text
    assert 'name="text"' in page.text


def test_an_appeal_is_stored_once_and_the_page_then_says_how_it_stands(hidden):
    path = link_in(mail.outbox[0])
    guest = Client()
    sent = appeal(guest, path)
    assert sent.status_code == 302
    assert sent["Location"] == path
    stored = Appeal.objects.get()
    assert (stored.comment, stored.text, stored.decision) == (
        hidden,
        "I was quoting him, not insulting anyone.",
        Appeal.Decision.OPEN,
    )
    after = guest.get(path)
    assert "Thank you. Your appeal has been sent to the moderators." in after.text
    assert "A moderator will review it and e-mail you the decision." in after.text
    assert 'name="text"' not in after.text


def test_a_second_appeal_is_refused_and_changes_nothing(hidden):
    path = link_in(mail.outbox[0])
    appeal(Client(), path)
    again = appeal(Client(), path, "Please, please.")
    assert again.status_code == 400
    assert "You have already appealed against this removal." in text_of(again)
    assert list(Appeal.objects.values_list("text", flat=True)) == [
        "I was quoting him, not insulting anyone."
    ]
    with pytest.raises(AppealRefused, match="already appealed"):
        appeal_create(comment=hidden, text="Once more")


def test_an_expired_link_is_refused(hidden, settings):
    settings.COMMENT_APPEAL_DAYS = 14
    path = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        page = Client().get(path)
        sent = appeal(Client(), path)
    for response in (page, sent):
        assert response.status_code == 400
        assert "This appeal link has expired" in response.text
        assert "appealed for 14 days" in response.text
    assert not Appeal.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        assert Client().get(path).status_code == 200


def test_the_number_of_days_comes_from_the_setting(hidden, settings):
    settings.COMMENT_APPEAL_DAYS = 3
    path = urlsplit(appeal_url(comment_id=hidden.pk)).path
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert "appealed for 3 days" in Client().get(path).text


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.split(":")[0],
        lambda token: "nonsense",
    ],
)
def test_a_changed_link_is_refused(hidden, change):
    path = link_in(mail.outbox[0])
    token = path.removeprefix("/comments/appeal/").removesuffix("/")
    broken = reverse("comments:appeal", args=[change(token)])
    for response in (Client().get(broken), appeal(Client(), broken)):
        assert response.status_code == 400
        assert "This appeal link isn’t complete or has been changed." in text_of(response)
    assert not Appeal.objects.exists()


def test_another_comments_link_cannot_be_made_from_this_one(hidden):
    other = CommentFactory(post=hidden.post, guest_name="Bo", status=Comment.Status.HIDDEN)
    forged = reverse("comments:appeal", args=[f'{{"c":{other.pk}}}'])
    assert Client().get(forged).status_code == 400


def test_nothing_to_appeal_once_the_comment_is_visible_again(hidden, moderator):
    path = link_in(mail.outbox[0])
    comment_restore(comment=hidden, moderator=moderator)
    page = Client().get(path)
    assert "This comment is visible again, so there is nothing to appeal." in page.text
    assert 'name="text"' not in page.text
    assert appeal(Client(), path).status_code == 400
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Please say in a few words why the comment should be restored."),
        ("x" * 1001, "Please keep your appeal under 1,000 characters; it has 1001."),
        ("bad\x00byte", "Your appeal contains a character we can’t store (a null byte)."),
    ],
)
def test_an_unusable_appeal_text_is_explained(hidden, text, message):
    response = appeal(Client(), link_in(mail.outbox[0]), text)
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Appeal.objects.exists()


def test_each_naughty_string_is_stored_exactly_or_refused(guideline, naughty_strings):
    post = PostFactory()
    comments = [
        CommentFactory(post=post, status=Comment.Status.HIDDEN, guideline=guideline)
        for _ in naughty_strings
    ]
    for comment, text in zip(comments, naughty_strings, strict=True):
        path = urlsplit(appeal_url(comment_id=comment.pk)).path
        response = appeal(Client(), path, text)
        assert response.status_code in (302, 400), text
        if response.status_code == 302:
            expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
            assert Appeal.objects.get(comment=comment).text == expected
            assert Client().get(path).status_code == 200
        else:
            assert not Appeal.objects.filter(comment=comment).exists()
    assert Appeal.objects.count() > len(naughty_strings) * 0.9


# --- Deciding in the admin -----------------------------------------------------------------


@pytest.fixture
def appealed(hidden):
    appeal(Client(), link_in(mail.outbox[0]))
    mail.outbox.clear()
    return Appeal.objects.get()


def decide(client, appeal_row, decision, note="", on_commit=None):
    url = reverse("admin:comments_appeal_decide", args=[appeal_row.pk])
    if on_commit is None:
        return client.post(url, {"decision": decision, "note": note}, follow=True)
    with on_commit(execute=True):
        return client.post(url, {"decision": decision, "note": note}, follow=True)


def test_the_queue_and_the_index_count_open_appeals(moderator_client, appealed):
    index = moderator_client.get(INDEX).text
    assert re.search(r'id="moderation-appeals-count">\s*1 appeal\s*<', index)
    queue = moderator_client.get(QUEUE + "?decision__exact=open")
    assert [a.pk for a in queue.context["cl"].result_list] == [appealed.pk]
    assert "You lot are fools." in queue.text


def test_an_appeals_page_shows_the_comment_the_guideline_and_its_history(
    moderator_client, appealed
):
    page = moderator_client.get(reverse("admin:comments_appeal_change", args=[appealed.pk]))
    assert page.status_code == 200
    text = text_of(page)
    assert "You lot are fools." in text
    assert "I was quoting him, not insulting anyone." in text
    assert "2. No personal attacks" in text
    history = text[text.index('id="appeal-history"') :]
    assert "Mo Derator" in history
    assert "Published → Hidden" in history
    assert 'id="appeal-decision"' in text


def test_restoring_on_appeal_publishes_it_logs_it_and_emails_the_author(
    moderator_client, moderator, appealed, django_capture_on_commit_callbacks
):
    comment = appealed.comment
    post = comment.post
    assert "You lot are fools." not in Client().get(post.get_absolute_url()).text  # cached

    done = decide(
        moderator_client,
        appealed,
        "restore",
        "You were quoting; fair enough.",
        django_capture_on_commit_callbacks,
    )

    assert "Comment restored. Its author is e-mailed the decision." in done.text
    comment.refresh_from_db()
    appealed.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert (appealed.decision, appealed.decided_by) == (Appeal.Decision.RESTORED, moderator)
    event = ModerationEvent.objects.filter(comment=comment).first()
    assert (event.action, event.actor, event.to_status) == ("restore", moderator, "published")
    assert event.note == "Restored on appeal. You were quoting; fair enough."
    (message,) = mail.outbox
    assert message.to == ["rex@example.org"]
    assert message.subject == "Your comment on “Parking on the high street” has been restored"
    assert "You were quoting; fair enough." in message.body
    assert "http://127.0.0.1:8000" + comment.get_absolute_url() in message.body
    post.refresh_from_db()
    assert post.comment_count == 2
    assert "You lot are fools." in Client().get(post.get_absolute_url()).text
    after = Client().get(link_in_first_hidden_email(comment))
    assert "A moderator restored your comment" in after.text


def link_in_first_hidden_email(comment) -> str:
    return urlsplit(appeal_url(comment_id=comment.pk)).path


def test_upholding_keeps_it_hidden_logs_it_and_emails_the_author(
    moderator_client, moderator, appealed, django_capture_on_commit_callbacks
):
    done = decide(
        moderator_client,
        appealed,
        "uphold",
        "Calling people fools is a personal attack.",
        django_capture_on_commit_callbacks,
    )
    assert "Removal upheld. Its author is e-mailed the decision." in done.text
    comment = appealed.comment
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    event = ModerationEvent.objects.filter(comment=comment).first()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "uphold",
        moderator,
        "hidden",
        "hidden",
    )
    assert event.guideline.number == 2
    (message,) = mail.outbox
    assert message.subject == "Your appeal about your comment on “Parking on the high street”"
    assert "decided that it stays hidden" in message.body
    assert "Calling people fools is a personal attack." in message.body
    page = Client().get(link_in_first_hidden_email(comment))
    assert "decided that the comment stays hidden" in page.text


def test_an_appeal_is_decided_once(moderator_client, moderator, appealed):
    appeal_decide(appeal=appealed, moderator=moderator, restore=False)
    again = decide(moderator_client, appealed, "restore")
    assert "This appeal has already been decided: removal upheld." in again.text
    appealed.comment.refresh_from_db()
    assert appealed.comment.status == Comment.Status.HIDDEN
    assert 'id="appeal-decision"' not in again.text


def test_a_decision_needs_a_choice(moderator_client, appealed):
    response = decide(moderator_client, appealed, "")
    assert "Please choose whether to restore it or uphold it." in response.text
    appealed.refresh_from_db()
    assert appealed.decision == Appeal.Decision.OPEN


def test_a_comment_restored_meanwhile_closes_its_appeal_as_restored(moderator, appealed):
    comment_restore(comment=appealed.comment, moderator=moderator)
    with pytest.raises(AppealRefused, match="published again meanwhile"):
        appeal_decide(appeal=appealed, moderator=moderator, restore=False)
    appeal_decide(appeal=appealed, moderator=moderator, restore=True)
    appealed.refresh_from_db()
    assert appealed.decision == Appeal.Decision.RESTORED
    assert ModerationEvent.objects.filter(action="restore").count() == 1  # no second restore


def test_only_moderators_decide(client, appealed):
    client.force_login(UserFactory(editor=True))
    assert client.get(QUEUE).status_code == 403
    url = reverse("admin:comments_appeal_decide", args=[appealed.pk])
    assert client.post(url, {"decision": "restore"}).status_code == 403
    with pytest.raises(AppealRefused, match="Only moderators"):
        appeal_decide(appeal=appealed, moderator=UserFactory(), restore=True)
    appealed.refresh_from_db()
    assert appealed.decision == Appeal.Decision.OPEN


@pytest.mark.parametrize("count", [3, 40])
def test_the_queue_and_an_appeals_page_run_a_bounded_number_of_queries(
    moderator_client, moderator, guideline, django_assert_max_num_queries, count
):
    post = PostFactory()
    appeals = []
    for n in range(count):
        comment = CommentFactory(post=post, member=True, status=Comment.Status.HIDDEN)
        comment.guideline = guideline
        comment.save()
        appeals.append(Appeal.objects.create(comment=comment, text=f"Appeal {n}"))
        ModerationEvent.objects.create(
            comment=appeals[0].comment, actor=moderator, action="hide", from_status="published",
            to_status="hidden", guideline=guideline, note=f"Event {n}",
        )  # fmt: skip
    with django_assert_max_num_queries(10):
        queue = moderator_client.get(QUEUE + "?decision__exact=open")
    assert len(queue.context["cl"].result_list) == count
    with django_assert_max_num_queries(12):
        page = moderator_client.get(reverse("admin:comments_appeal_change", args=[appeals[0].pk]))
    assert page.text.count("<tr><td>") == count
