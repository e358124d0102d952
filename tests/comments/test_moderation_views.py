"""Moderators act on the post page: controls only they see, never cached, through the
same services as the admin."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment, Guideline, ModerationEvent
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guideline():
    return Guideline.objects.create(number=2, title="No personal attacks", text="Argue the point.")


@pytest.fixture
def moderator():
    return UserFactory(moderator=True, display_name="Mo Derator")


@pytest.fixture
def thread():
    post = PostFactory()
    root = CommentFactory(post=post, body="An ordinary comment")
    CommentFactory(parent=root, body="A reply to it")
    services.post_comments_bump(post.pk)
    post.refresh_from_db()
    return post, root


def section(response) -> str:
    html = response.content.decode()
    return html[html.index('id="comments"') :]


def moderate(client, comment, **data):
    return client.post(reverse("comments:moderate", args=[comment.pk]), data)


def test_moderators_see_hide_buttons_and_readers_never_do(client, moderator, thread):
    post, _root = thread
    reader_html = section(Client().get(post.get_absolute_url()))  # fills the shared cache
    assert "comment-moderate" not in reader_html
    client.force_login(moderator)
    html = section(client.get(post.get_absolute_url()))
    assert html.count('value="hide"') == 2
    # The moderator's page, with its CSRF token, never reaches the shared cache.
    assert "comment-moderate" not in section(Client().get(post.get_absolute_url()))
    client.force_login(UserFactory(editor=True))
    assert "comment-moderate" not in section(client.get(post.get_absolute_url()))


def test_hide_asks_for_the_guideline_then_hides_and_the_placeholder_names_it(
    client, moderator, thread, guideline
):
    post, root = thread
    client.force_login(moderator)
    ask = moderate(client, root, action="hide")
    assert ask.status_code == 200
    assert "No personal attacks" in ask.content.decode()
    root.refresh_from_db()
    assert root.status == Comment.Status.PUBLISHED

    done = moderate(client, root, action="hide", guideline=guideline.pk, note="Name-calling")
    assert done.status_code == 302
    assert done["Location"].endswith(f"#comment-{root.pk}")
    root.refresh_from_db()
    assert (root.status, root.guideline) == (Comment.Status.HIDDEN, guideline)
    event = ModerationEvent.objects.get(comment=root)
    assert (event.actor, event.action, event.to_status, event.note) == (
        moderator,
        "hide",
        "hidden",
        "Name-calling",
    )
    public = section(Client().get(post.get_absolute_url()))
    assert "An ordinary comment" not in public
    named = r'href="/community-guidelines/#guideline-2">2: No personal attacks</a>'
    assert re.search(named, public)
    assert "A reply to it" in public
    # The moderator still sees it, marked, with a Restore button.
    own = section(client.get(post.get_absolute_url()))
    assert "An ordinary comment" in own
    assert 'value="restore"' in own


def test_restore_undoes_a_hide(client, moderator, thread, guideline):
    post, root = thread
    services.comment_hide(comment=root, moderator=moderator, guideline=guideline)
    client.force_login(moderator)
    moderate(client, root, action="restore")
    root.refresh_from_db()
    assert root.status == Comment.Status.PUBLISHED
    assert "An ordinary comment" in section(Client().get(post.get_absolute_url()))


def test_hide_without_a_guideline_is_refused_clearly(client, moderator, thread, guideline):
    _post, root = thread
    client.force_login(moderator)
    response = moderate(client, root, action="hide", guideline="999")
    assert response.status_code == 400
    root.refresh_from_db()
    assert root.status == Comment.Status.PUBLISHED


def test_spam_on_a_published_comment_removes_it_for_readers_and_restore_undoes_it(
    client, moderator, thread
):
    post, root = thread
    reply = Comment.objects.get(parent=root)
    client.force_login(moderator)
    html = section(client.get(post.get_absolute_url()))
    assert html.count('value="spam"') == 2  # one Spam button on each published comment
    assert 'Spam<span class="visually-hidden"> comment by' in html

    done = moderate(client, reply, action="spam")
    assert done.status_code == 302
    assert done["Location"].endswith(f"#comment-{reply.pk}")
    reply.refresh_from_db()
    assert reply.status == Comment.Status.SPAM
    event = ModerationEvent.objects.get(comment=reply)
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        moderator,
        services.Action.SPAM,
        Comment.Status.PUBLISHED,
        Comment.Status.SPAM,
    )
    public = section(Client().get(post.get_absolute_url()))
    assert "A reply to it" not in public
    assert "An ordinary comment" in public
    # The moderator still sees it, marked as spam, with a Restore button and no Spam one.
    own = section(client.get(post.get_absolute_url()))
    reply_html = own[own.index(f'id="comment-{reply.pk}"') :]
    assert "A reply to it" in reply_html
    assert 'value="restore"' in reply_html
    assert 'value="spam"' not in reply_html

    moderate(client, reply, action="restore")
    reply.refresh_from_db()
    assert reply.status == Comment.Status.PUBLISHED
    assert "A reply to it" in section(Client().get(post.get_absolute_url()))
    actions = ModerationEvent.objects.filter(comment=reply).order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["spam", "restore"]


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_only_moderators_may_act(client, thread, guideline, who):
    _post, root = thread
    if who != "anonymous":
        client.force_login(UserFactory(editor=who == "editor"))
    response = moderate(client, root, action="hide", guideline=guideline.pk)
    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    root.refresh_from_db()
    assert root.status == Comment.Status.PUBLISHED


def test_a_member_given_the_permission_outside_the_roles_is_no_moderator_anywhere(
    client, thread, guideline
):
    # Moderators are staff; a permission granted to a member's account by hand gives
    # them neither the buttons on the post page nor the actions behind them.
    post, root = thread
    member = UserFactory()
    member.user_permissions.add(Permission.objects.get(codename="change_comment"))
    client.force_login(member)

    assert "comment-moderate" not in section(client.get(post.get_absolute_url()))
    assert moderate(client, root, action="hide", guideline=guideline.pk).status_code == 403
    root.refresh_from_db()
    assert root.status == Comment.Status.PUBLISHED


def test_an_unknown_action_is_a_400(client, moderator, thread):
    client.force_login(moderator)
    assert moderate(client, thread[1], action="delete").status_code == 400


def test_moderation_needs_csrf(moderator, thread, guideline):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = moderate(client, thread[1], action="hide", guideline=guideline.pk)
    assert response.status_code == 403


@pytest.mark.parametrize("threads", [2, 200])
def test_moderator_page_stays_within_the_query_budget(
    client, moderator, django_assert_max_num_queries, threads
):
    from tests.factories import build_discussion

    post = PostFactory()
    build_discussion(post, [9] * threads)
    client.force_login(moderator)
    # With nothing cached: a member's 17 (the shared pages' version, then the page's, the
    # site's navigation, the post's notes and co-authors, the next moment a post goes live
    # or leaves and who follows the post among them), plus the two permission look-ups that
    # tell a moderator apart and the moderator's own-comments check: the same at any size.
    # (19 -> 20 with the co-authors' query.)
    with django_assert_max_num_queries(20):
        assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.usefixtures("_quick_forms")
@pytest.mark.parametrize(("field", "status"), [("block_words", "spam"), ("hold_words", "pending")])
def test_a_held_or_blocked_comment_looks_the_same_to_its_sender(client, field, status):
    from comments.forms import new_form_token
    from comments.models import DiscussionSettings
    from comments.services import discussion_settings_save

    discussion = DiscussionSettings.objects.get_or_create(pk=1)[0]
    setattr(discussion, field, "casino")
    discussion_settings_save(settings=discussion)
    post = PostFactory()
    response = client.post(
        reverse("comments:post", args=[post.pk]),
        {
            "body": "Best casino deals",
            "name": "Sly",
            "email": "sly@example.org",
            "token": new_form_token(),
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == status
    own = section(client.get(post.get_absolute_url()))
    assert "Best casino deals" in own
    assert "Your comment is awaiting moderation." in own
    assert "Best casino deals" not in section(Client().get(post.get_absolute_url()))


def test_an_edit_that_breaks_a_rule_is_held_like_a_new_comment(client):
    from comments.models import DiscussionSettings
    from comments.services import comment_create, comment_edit, discussion_settings_save

    discussion = DiscussionSettings.objects.get_or_create(pk=1)[0]
    discussion.hold_words = "casino"
    discussion_settings_save(settings=discussion)
    member = UserFactory()
    comment = comment_create(post=PostFactory(), body="Harmless at first", user=member)
    assert comment.status == Comment.Status.PUBLISHED
    comment_edit(comment=comment, user=member, body="Now with casino links")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    event = ModerationEvent.objects.get(comment=comment)
    assert (event.from_status, event.to_status, event.rule) == ("published", "pending", "hold word")


ACTIONS = ("approve", "hide", "restore", "spam")


@pytest.mark.parametrize("status", list(Comment.Status))
def test_the_buttons_offered_are_exactly_the_actions_the_service_accepts(
    client, moderator, guideline, status
):
    # The post page's buttons come from the same table the services check: every button
    # offered works, and every action not offered is refused.
    post = PostFactory()
    CommentFactory(post=post, body="Context")
    comment = CommentFactory(post=post, status=status, body="The comment in question")
    client.force_login(moderator)
    html = section(client.get(post.get_absolute_url()))
    start = html.index(f'id="comment-{comment.pk}"')
    # The comment's own markup ends with its actions (then come its replies, if any).
    own = html[start : html.index("</div>", html.index('<div class="ca">', start))]
    offered = set(re.findall(r'name="action" value="(\w+)"', own))
    assert offered  # every status has at least one way out
    for action in ACTIONS:
        comment.refresh_from_db()
        Comment.objects.filter(pk=comment.pk).update(status=status)
        response = moderate(client, comment, action=action, guideline=guideline.pk)
        comment.refresh_from_db()
        changed = comment.status != status
        assert changed == (action in offered), (action, status)
        assert response.status_code == 302
