"""Moderators in the admin: the comment list, the read-only comment page, the moderation
actions (from the list and from a comment's page), the queues, the index counts, the
overview and the moderation log."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Guideline, ModerationEvent, Report
from comments.services import comment_hide
from tests.factories import CommentFactory, PostFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
REPORTS_QUEUE = reverse("admin:comments_comment_reports")
HELD_QUEUE = reverse("admin:comments_comment_held")
OVERVIEW = reverse("admin:comments_comment_overview")
LOG = reverse("admin:comments_moderationevent_changelist")
INDEX = reverse("admin:index")
CHANGE_FORM_ACTION = "CHANGE_FORM-action"


def change_url(comment: Comment) -> str:
    return reverse("admin:comments_comment_change", args=[comment.pk])


@pytest.fixture
def moderator():
    return UserFactory(moderator=True, username="mod", display_name="Mo Derator")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, username="root"))
    return client


@pytest.fixture
def guideline():
    return Guideline.objects.create(
        number=2, title="No personal attacks", text="Argue, don't insult."
    )


@pytest.fixture
def other_guideline():
    return Guideline.objects.create(number=5, title="No spam", text="No advertising.")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def run_action(client, action: str, comments: list[Comment], url: str = CHANGELIST, **extra):
    """Choose ``action`` for ``comments`` in the list and press Run."""
    data = {"action": action, "_selected_action": [c.pk for c in comments], "index": "0"}
    return client.post(url, {**data, **extra})


def confirm_action(client, action: str, comments: list[Comment], url: str = CHANGELIST, **extra):
    """Submit an action's confirmation page."""
    data = {"action": action, "_selected_action": [c.pk for c in comments], "_confirm": "yes"}
    return client.post(url, {**data, **extra}, follow=True)


def status_of(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


# --- Who may see it ------------------------------------------------------------------


def test_a_moderator_sees_the_comment_list(moderator_client):
    post = PostFactory(title="Where the river floods")
    CommentFactory(post=post, guest_name="Mira Osei", body="Was the weir the cause?")

    response = moderator_client.get(CHANGELIST)

    assert response.status_code == 200
    page = response.text
    assert "Was the weir the cause?" in page
    assert "Mira Osei (guest)" in page
    assert f'<a href="{post.get_absolute_url()}">Where the river floods</a>' in page
    assert "comment-status-published" in page


@pytest.mark.parametrize(
    "url",
    [CHANGELIST, REPORTS_QUEUE, HELD_QUEUE, OVERVIEW, LOG],
    ids=["list", "reports", "held", "overview", "log"],
)
def test_editors_see_no_comments_admin(client, url):
    client.force_login(UserFactory(editor=True))

    assert client.get(url).status_code == 403


def test_editors_cannot_open_or_act_on_a_comment(client, guideline):
    comment = CommentFactory()
    client.force_login(UserFactory(editor=True))

    assert client.get(change_url(comment)).status_code == 403
    refused = run_action(client, "mark_spam", [comment])

    assert refused.status_code == 403
    assert status_of(comment) == Comment.Status.PUBLISHED


@pytest.mark.parametrize("url", [CHANGELIST, REPORTS_QUEUE, OVERVIEW, LOG])
def test_readers_are_sent_to_sign_in(client, url):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


# --- The list ------------------------------------------------------------------------


def test_the_list_is_newest_first(moderator_client):
    now = timezone.now()
    old = CommentFactory(body="The oldest one", created_at=now - timedelta(days=3))
    new = CommentFactory(body="The newest one", created_at=now)
    middle = CommentFactory(body="The middle one", created_at=now - timedelta(days=1))

    response = moderator_client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == [new, middle, old]


def test_the_summary_line_is_escaped_and_cut_the_whole_text_is_escaped(moderator_client):
    CommentFactory(body="<script>alert(1)</script> " + "word " * 60 + "last\nline")

    page = moderator_client.get(CHANGELIST).text

    assert "<script>alert(1)</script>" not in page
    summary = re.search(r"<summary>(&lt;script&gt;alert\(1\)&lt;/script&gt;[^<]*)</summary>", page)
    assert summary.group(1).endswith("…")
    assert len(summary.group(1).replace("&lt;", "<").replace("&gt;", ">")) == 200
    assert "word last<br>line" in page


def test_a_member_is_shown_by_public_name_and_username(moderator_client):
    member = UserFactory(username="sam", display_name="Sam Reader")
    CommentFactory(user=member, guest_name="", guest_email="")

    assert "Sam Reader (member sam)" in moderator_client.get(CHANGELIST).text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=hidden", {"hidden one"}),
        ("status=pending", {"held one"}),
        ("reported=yes", {"reported one"}),
        ("reported=no", {"plain one", "hidden one", "held one"}),
    ],
)
def test_filters(moderator_client, guideline, query, expected):
    CommentFactory(body="plain one")
    CommentFactory(body="hidden one", hidden=True)
    CommentFactory(body="held one", pending=True)
    reported = CommentFactory(body="reported one")
    ReportFactory(comment=reported, guideline=guideline)
    dismissed = ReportFactory(comment=CommentFactory(body="plain one"), guideline=guideline)
    Report.objects.filter(pk=dismissed.pk).update(resolution=Report.Resolution.DISMISSED)

    response = moderator_client.get(f"{CHANGELIST}?{query}")

    assert {c.body for c in response.context["cl"].result_list} == expected


def test_filter_by_post(moderator_client):
    post = PostFactory()
    CommentFactory(post=post, body="on this post")
    CommentFactory(body="elsewhere")

    response = moderator_client.get(f"{CHANGELIST}?post__id__exact={post.pk}")

    assert [c.body for c in response.context["cl"].result_list] == ["on this post"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("culvert", "A note about the culvert."),
        ("Mira", "Guest words."),
        ("mira@example.org", "Guest words."),
        ("samreader", "Member words."),
        ("Samuel", "Member words."),
    ],
)
def test_search_by_text_name_email_and_username(moderator_client, term, expected):
    # Every name is set: a generated one could contain a search term.
    CommentFactory(body="A note about the culvert.", guest_name="Ola Berg", guest_email="ola@x.org")
    CommentFactory(body="Guest words.", guest_name="Mira Osei", guest_email="mira@example.org")
    member = UserFactory(username="samreader", display_name="Samuel Reader")
    CommentFactory(body="Member words.", user=member, guest_name="", guest_email="")

    response = moderator_client.get(CHANGELIST, {"q": term})

    assert [c.body for c in response.context["cl"].result_list] == [expected]


def test_the_open_report_count_counts_open_reports_only(moderator_client, guideline):
    comment = CommentFactory()
    ReportFactory(comment=comment, guideline=guideline)
    ReportFactory(comment=comment, guideline=guideline)
    dismissed = ReportFactory(comment=comment, guideline=guideline)
    Report.objects.filter(pk=dismissed.pk).update(resolution=Report.Resolution.DISMISSED)

    response = moderator_client.get(CHANGELIST)

    assert response.context["cl"].result_list[0].open_report_count == 2


def seed_comments(count: int, guideline: Guideline) -> None:
    """``count`` comments on three posts, by members and guests, in every status, some
    reported and some replies."""
    posts = [PostFactory() for _ in range(3)]
    statuses = ["published", "published", "pending", "hidden", "spam"]
    roots = []
    for n in range(count):
        member = UserFactory() if n % 2 else None
        parent = roots[n % len(roots)] if roots and n % 4 == 3 else None
        comment = CommentFactory(
            post=posts[n % 3],
            parent=parent,
            user=member,
            status=statuses[n % len(statuses)],
            created_at=timezone.now() - timedelta(hours=n * 7),
        )
        if parent is None:
            roots.append(comment)
        if n % 3 == 0:
            ReportFactory(comment=comment, guideline=guideline, note="Rude.")
        ModerationEvent.objects.create(
            comment=comment,
            actor=member,
            rule="" if member else "hold words",
            action="hold",
            from_status="",
            to_status="pending",
            guideline=guideline,
        )


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        f"{CHANGELIST}?reported=yes&status=published",
        f"{CHANGELIST}?q=a",
        REPORTS_QUEUE,
        HELD_QUEUE,
        OVERVIEW,
        LOG,
        f"{LOG}?action=hold",
        INDEX,
    ],
)
def test_moderation_pages_run_a_bounded_number_of_queries(
    moderator_client, guideline, django_assert_max_num_queries, count, url
):
    seed_comments(count, guideline)

    # The most is the overview's 13 (its queue counts include the open appeals).
    with django_assert_max_num_queries(13):
        response = moderator_client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_a_comment_page_runs_a_bounded_number_of_queries(
    moderator_client, guideline, django_assert_max_num_queries, count
):
    seed_comments(count, guideline)
    root = Comment.objects.filter(parent=None).first()
    for n in range(count):
        reply = CommentFactory(parent=root, member=True)
        ReportFactory(comment=root, guideline=guideline, note=f"Report {n}")
        ModerationEvent.objects.create(
            comment=root, actor=reply.user, action="hide", from_status="published",
            to_status="hidden", guideline=guideline,
        )  # fmt: skip

    with django_assert_max_num_queries(16):
        response = moderator_client.get(change_url(root))

    assert response.status_code == 200


# --- The comment's page ----------------------------------------------------------------


def test_the_comment_page_shows_its_context(moderator_client):
    post = PostFactory(title="Where the river floods")
    parent = CommentFactory(post=post, body="Was the weir the cause? " * 10)
    comment = CommentFactory(parent=parent, body="Partly, the report says.\nSee page 4.")
    CommentFactory(parent=comment, body="Which report?", guest_name="Tom Hale")
    CommentFactory(parent=comment, body="Spammy reply", spam=True)

    page = moderator_client.get(change_url(comment)).text

    assert "Partly, the report says.<br>See page 4." in page
    assert f'<a href="{post.get_absolute_url()}">Where the river floods</a>' in page
    assert f'<a href="/comments/{comment.pk}/">/comments/{comment.pk}/</a>' in page
    assert f'<a href="{change_url(parent)}">Was the weir the cause? Was the weir' in page
    assert "Which report?</a> — Tom Hale" in page
    assert "Spammy reply" in page
    assert "comment-status-spam" in page


def test_the_comment_page_shows_its_reports_and_history(moderator_client, moderator, guideline):
    comment = CommentFactory(body="You are an idiot.")
    ReportFactory(
        comment=comment,
        guideline=guideline,
        note="Name-calling.",
        reporter=UserFactory(display_name="Ada Reader"),
    )
    comment_hide(comment=comment, moderator=moderator, guideline=guideline, note="Clear case.")

    page = moderator_client.get(change_url(comment)).text

    reports = page[page.index('id="reports-group"') : page.index('id="events-group"')]
    assert "Ada Reader" in reports
    assert "2. No personal attacks" in reports
    assert "Name-calling." in reports
    assert "Upheld: the comment was hidden" in reports
    assert "by Mo Derator" in reports
    history = page[page.index('id="events-group"') :]
    assert "Mo Derator" in history
    assert "hide" in history
    assert "Published → Hidden" in history
    assert "Clear case." in history


def test_the_history_names_the_rule_that_acted(moderator_client):
    comment = CommentFactory(pending=True)
    ModerationEvent.objects.create(
        comment=comment, rule="too many links", action="hold", from_status="", to_status="pending"
    )

    page = moderator_client.get(change_url(comment)).text

    assert "rule: too many links" in page
    assert "— → Awaiting moderation" in page


def test_the_comment_page_has_nothing_to_edit(moderator_client):
    comment = CommentFactory(body="Original words.")

    page = moderator_client.get(change_url(comment)).text

    assert "View comment" in page
    assert 'name="body"' not in page
    assert 'name="_save"' not in page
    assert 'name="reports-0-note"' not in page


@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_posting_the_change_form_is_refused_and_changes_nothing(client, role):
    comment = CommentFactory(body="Original words.")
    client.force_login(
        UserFactory(moderator=True)
        if role == "moderator"
        else UserFactory(is_superuser=True, is_staff=True)
    )

    response = client.post(
        change_url(comment), {"body": "Changed words.", "status": "hidden", "_save": "Save"}
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Original words.", Comment.Status.PUBLISHED)


def test_comments_cannot_be_added_or_deleted_here(superuser_client):
    comment = CommentFactory()

    assert superuser_client.get(reverse("admin:comments_comment_add")).status_code == 403
    delete = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert superuser_client.get(delete).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    choices = dict(superuser_client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "delete_selected" not in choices
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize(
    ("status", "reported", "buttons"),
    [
        ("published", False, ["hide_comments", "mark_spam"]),
        ("published", True, ["hide_comments", "mark_spam", "dismiss_reports"]),
        ("pending", False, ["hide_comments", "approve_comments", "mark_spam"]),
        ("hidden", False, ["restore_comments", "mark_spam"]),
        ("hidden", True, ["hide_comments", "restore_comments", "mark_spam", "dismiss_reports"]),
        ("spam", False, ["restore_comments"]),
    ],
)
def test_the_comment_page_offers_the_actions_its_status_allows(
    moderator_client, guideline, status, reported, buttons
):
    comment = CommentFactory(status=status)
    if reported:
        ReportFactory(comment=comment, guideline=guideline)

    page = moderator_client.get(change_url(comment)).text

    offered = re.findall(rf'name="{CHANGE_FORM_ACTION}"\s+value="(\w+)"', page)
    # Suspending the author is offered whatever the status (tests/comments/test_suspensions.py).
    assert offered == [b for b in ACTION_ORDER if b in [*buttons, "suspend_authors"]]


ACTION_ORDER = [
    "hide_comments",
    "restore_comments",
    "approve_comments",
    "mark_spam",
    "dismiss_reports",
    "purge_comments",
    "suspend_authors",
]


def test_only_a_superuser_is_offered_purge(client, superuser_client):
    comment = CommentFactory()

    assert 'value="purge_comments"' in superuser_client.get(change_url(comment)).text
    client.force_login(UserFactory(moderator=True))
    assert 'value="purge_comments"' not in client.get(change_url(comment)).text
    choices = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "purge_comments" not in choices


# --- Actions from the list -----------------------------------------------------------------


def test_hide_asks_for_confirmation_and_lists_the_comments(moderator_client, guideline):
    first = CommentFactory(body="First rude comment")
    second = CommentFactory(body="Second rude comment")
    CommentFactory(body="Left alone")

    response = run_action(moderator_client, "hide_comments", [first, second])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/comments/comment/hide_confirmation.html"
    page = response.text
    assert "2 comments selected" in page
    assert "First rude comment" in page
    assert "Second rude comment" in page
    assert "Left alone" not in page
    assert '<select name="guideline" autofocus required id="id_guideline">' in page
    assert "2. No personal attacks" in page
    assert status_of(first) == Comment.Status.PUBLISHED
    assert not ModerationEvent.objects.exists()


def test_hide_needs_a_guideline(moderator_client, guideline):
    comment = CommentFactory()

    response = confirm_action(moderator_client, "hide_comments", [comment], guideline="")

    assert response.status_code == 200
    assert "Please choose the guideline that was broken." in response.text
    assert status_of(comment) == Comment.Status.PUBLISHED


def test_hide_confirmed_hides_each_comment_with_the_guideline_and_note(
    moderator_client, moderator, guideline
):
    comments = [CommentFactory(), CommentFactory(), CommentFactory(pending=True)]

    response = confirm_action(
        moderator_client, "hide_comments", comments, guideline=guideline.pk, note="Insults."
    )

    assert response.redirect_chain[-1] == (CHANGELIST, 302)
    assert "3 comments hidden." in messages_of(response)
    for comment in comments:
        assert status_of(comment) == Comment.Status.HIDDEN
        assert comment.guideline == guideline
    events = ModerationEvent.objects.filter(action="hide")
    assert events.count() == 3
    assert {(e.actor, e.guideline, e.note) for e in events} == {(moderator, guideline, "Insults.")}


def test_a_refusal_is_named_and_the_others_go_through(moderator_client, guideline):
    fine = CommentFactory()
    spam = CommentFactory(spam=True, guest_name="Spam Bot")

    response = confirm_action(
        moderator_client, "hide_comments", [fine, spam], guideline=guideline.pk
    )

    shown = messages_of(response)
    assert "1 comment hidden." in shown
    assert (
        f"Comment {spam.pk} by Spam Bot: Only a published or held comment can be hidden; "
        "this one is marked as spam."
    ) in shown
    assert status_of(fine) == Comment.Status.HIDDEN
    assert status_of(spam) == Comment.Status.SPAM


def test_hide_from_a_filtered_list_comes_back_to_it(moderator_client, guideline):
    comment = CommentFactory()
    url = f"{CHANGELIST}?status=published"

    page = run_action(moderator_client, "hide_comments", [comment], url=url)
    response = confirm_action(
        moderator_client, "hide_comments", [comment], url=url, guideline=guideline.pk
    )

    assert f'<a href="{url}" class="button cancel-link">' in page.text
    assert response.redirect_chain[-1] == (url, 302)


def test_hide_on_every_comment_of_a_filtered_list(moderator_client, guideline):
    published = [CommentFactory() for _ in range(3)]
    held = CommentFactory(pending=True)
    url = f"{CHANGELIST}?status=published"

    page = run_action(moderator_client, "hide_comments", published[:1], url=url, select_across="1")
    response = confirm_action(
        moderator_client,
        "hide_comments",
        published[:1],
        url=url,
        select_across="1",
        guideline=guideline.pk,
    )

    assert "3 comments selected" in page.text
    assert '<input type="hidden" name="select_across" value="1">' in page.text
    assert "3 comments hidden." in messages_of(response)
    assert {status_of(c) for c in published} == {Comment.Status.HIDDEN}
    assert status_of(held) == Comment.Status.PENDING


def test_restore(moderator_client, moderator, guideline):
    hidden = CommentFactory(hidden=True)
    spam = CommentFactory(spam=True)

    response = run_action(moderator_client, "restore_comments", [hidden, spam])

    assert response.status_code == 302
    assert "2 comments restored." in messages_of(response)
    assert status_of(hidden) == status_of(spam) == Comment.Status.PUBLISHED
    assert ModerationEvent.objects.filter(action="restore", actor=moderator).count() == 2


def test_mark_spam(moderator_client, guideline):
    comment = CommentFactory()
    ReportFactory(comment=comment, guideline=guideline)

    response = run_action(moderator_client, "mark_spam", [comment])

    assert "1 comment marked as spam." in messages_of(response)
    assert status_of(comment) == Comment.Status.SPAM
    assert comment.reports.get().resolution == Report.Resolution.UPHELD


def test_approve_publishes_held_comments_and_names_the_others(moderator_client):
    held = CommentFactory(pending=True)
    published = CommentFactory(guest_name="Ana Silva")

    response = run_action(moderator_client, "approve_comments", [held, published])

    shown = messages_of(response)
    assert "1 comment approved." in shown
    assert any(m.startswith(f"Comment {published.pk} by Ana Silva: Only a comment") for m in shown)
    assert status_of(held) == Comment.Status.PUBLISHED


def test_dismiss_reports_leaves_the_comment_as_it_is(moderator_client, guideline):
    first, second = CommentFactory(), CommentFactory()
    ReportFactory(comment=first, guideline=guideline)
    ReportFactory(comment=first, guideline=guideline)
    ReportFactory(comment=second, guideline=guideline)

    response = run_action(moderator_client, "dismiss_reports", [first, second])

    assert "3 reports dismissed on 2 comments." in messages_of(response)
    assert not Report.objects.filter(resolution=Report.Resolution.OPEN).exists()
    assert status_of(first) == Comment.Status.PUBLISHED
    assert ModerationEvent.objects.filter(action="dismiss reports").count() == 2


def test_purge_by_a_superuser_asks_then_erases(superuser_client):
    comment = CommentFactory(body="My address is 1 Main Street.", guest_name="Ana Silva")
    reply = CommentFactory(parent=comment)

    page = run_action(superuser_client, "purge_comments", [comment])
    response = confirm_action(superuser_client, "purge_comments", [comment])

    assert page.status_code == 200
    assert "This cannot be undone." in page.text
    assert "My address is 1 Main Street." in page.text
    assert "1 comment purged." in messages_of(response)
    comment.refresh_from_db()
    assert (comment.body, comment.guest_name, comment.status) == ("", "", Comment.Status.HIDDEN)
    assert Comment.objects.filter(pk=reply.pk).exists()
    assert "(text erased)" in superuser_client.get(CHANGELIST).text


def test_purge_is_refused_to_a_moderator(moderator_client):
    comment = CommentFactory(body="Still here.")

    first = run_action(moderator_client, "purge_comments", [comment])
    confirmed = confirm_action(moderator_client, "purge_comments", [comment])

    assert first.status_code == 302
    assert "No action selected." in messages_of(first)
    assert "No action selected." in messages_of(confirmed)
    comment.refresh_from_db()
    assert comment.body == "Still here."
    assert not ModerationEvent.objects.exists()


# --- Actions from a comment's page ---------------------------------------------------------


def test_restore_from_the_comment_page(moderator_client):
    comment = CommentFactory(hidden=True)

    response = moderator_client.post(
        change_url(comment),
        {CHANGE_FORM_ACTION: "restore_comments", "_selected_action": comment.pk},
        follow=True,
    )

    assert response.redirect_chain == [(change_url(comment), 302)]
    assert "1 comment restored." in messages_of(response)
    assert status_of(comment) == Comment.Status.PUBLISHED


def test_hide_from_the_comment_page_goes_through_the_confirmation(moderator_client, guideline):
    comment = CommentFactory(body="Rude words")
    form = {CHANGE_FORM_ACTION: "hide_comments", "_selected_action": comment.pk}

    page = moderator_client.post(change_url(comment), form)
    done = moderator_client.post(
        change_url(comment), {**form, "_confirm": "yes", "guideline": guideline.pk}, follow=True
    )

    assert page.status_code == 200
    assert f'name="{CHANGE_FORM_ACTION}" value="hide_comments"' in page.text
    assert "Rude words" in page.text
    assert done.redirect_chain == [(change_url(comment), 302)]
    assert "1 comment hidden." in messages_of(done)
    assert status_of(comment) == Comment.Status.HIDDEN


def test_an_action_on_the_comment_page_acts_on_that_comment_only(moderator_client):
    comment, other = CommentFactory(), CommentFactory()

    response = moderator_client.post(
        change_url(comment), {CHANGE_FORM_ACTION: "mark_spam", "_selected_action": other.pk}
    )

    assert response.status_code == 400
    assert status_of(other) == Comment.Status.PUBLISHED


def test_purge_from_the_comment_page_is_refused_to_a_moderator(moderator_client):
    comment = CommentFactory(body="Still here.")

    moderator_client.post(
        change_url(comment),
        {CHANGE_FORM_ACTION: "purge_comments", "_selected_action": comment.pk, "_confirm": "yes"},
    )

    comment.refresh_from_db()
    assert comment.body == "Still here."


# --- Queues and the index ------------------------------------------------------------------


def test_the_reports_queue_lists_reported_comments_most_reported_first(
    moderator_client, guideline, other_guideline
):
    once = CommentFactory(body="Reported once")
    ReportFactory(comment=once, guideline=guideline)
    thrice = CommentFactory(body="Reported three times")
    for g in (guideline, guideline, other_guideline):
        ReportFactory(comment=thrice, guideline=g)
    twice = CommentFactory(body="Reported twice")
    ReportFactory(comment=twice, guideline=other_guideline)
    ReportFactory(comment=twice, guideline=other_guideline)
    settled = CommentFactory(body="Reports dismissed")
    ReportFactory(comment=settled, guideline=guideline, resolution=Report.Resolution.DISMISSED)
    CommentFactory(body="Never reported")

    response = moderator_client.get(REPORTS_QUEUE)

    assert response.status_code == 200
    rows = [c.body for c in response.context["cl"].result_list]
    assert rows == ["Reported three times", "Reported twice", "Reported once"]
    page = response.text
    assert "<h1>Reports queue</h1>" in page
    assert "6 open reports in all" in page
    assert "2. No personal attacks ×2, 5. No spam ×1" in page


def test_the_held_queue_lists_held_comments_oldest_first(moderator_client):
    now = timezone.now()
    newer = CommentFactory(body="Held lately", pending=True, created_at=now)
    older = CommentFactory(body="Held long ago", pending=True, created_at=now - timedelta(days=2))
    CommentFactory(body="Published")

    response = moderator_client.get(HELD_QUEUE)

    assert list(response.context["cl"].result_list) == [older, newer]
    assert "<h1>Held comments</h1>" in response.text


def test_approving_from_the_held_queue_comes_back_to_it(moderator_client):
    held = CommentFactory(pending=True)

    response = run_action(moderator_client, "approve_comments", [held], url=HELD_QUEUE)

    assert response.status_code == 302
    assert response.url == HELD_QUEUE
    assert status_of(held) == Comment.Status.PUBLISHED


def test_the_queues_counts_show_on_the_list_and_the_index(moderator_client, guideline):
    for _ in range(2):
        ReportFactory(comment=CommentFactory(), guideline=guideline)
    CommentFactory(pending=True)

    index = moderator_client.get(INDEX).text
    listing = moderator_client.get(CHANGELIST).text

    assert re.search(r'id="moderation-reported-count">\s*2 comments\s*<', index)
    assert re.search(r'id="moderation-held-count">\s*1 comment\s*<', index)
    assert f'href="{REPORTS_QUEUE}"' in index
    assert f'href="{HELD_QUEUE}"' in index
    assert re.search(r"Reports queue \(2\)", listing)
    assert re.search(r"Held comments \(1\)", listing)


def test_editors_see_no_moderation_counts_on_the_index(client):
    client.force_login(UserFactory(editor=True))

    page = client.get(INDEX).text

    assert "moderation-module" not in page
    assert REPORTS_QUEUE not in page


# --- The overview --------------------------------------------------------------------------


def test_the_overview_counts_each_day_of_the_last_30_days(moderator_client, guideline):
    now = timezone.now()
    busy = PostFactory(title="Busy post")
    quiet = PostFactory(title="Quiet post")
    for _ in range(3):
        CommentFactory(post=busy, created_at=now)
    CommentFactory(post=busy, created_at=now - timedelta(days=2), status="spam")
    CommentFactory(post=quiet, created_at=now - timedelta(days=2))
    CommentFactory(post=quiet, created_at=now - timedelta(days=40))  # too old
    reported = Comment.objects.filter(post=busy).first()
    ReportFactory(comment=reported, guideline=guideline)
    ReportFactory(comment=reported, guideline=guideline)  # the same comment, counted once
    for days_ago, to_status in [(0, "hidden"), (0, "hidden"), (1, "spam"), (2, "pending")]:
        ModerationEvent.objects.create(
            comment=CommentFactory(post=quiet, created_at=now - timedelta(days=45)),
            action="x",
            to_status=to_status,
            created_at=now - timedelta(days=days_ago),
        )

    response = moderator_client.get(OVERVIEW)

    assert response.status_code == 200
    counts = {s.key: s.counts for s in response.context["overview"].series}
    assert counts["new"][-3:] == [2, 0, 3]
    assert counts["reported"][-1] == 1
    assert counts["hidden"][-1] == 2
    assert counts["spam"][-2:] == [1, 0]
    assert counts["held"][-3] == 1
    assert {k: sum(v) for k, v in counts.items()} == {
        "new": 5, "held": 1, "reported": 1, "hidden": 2, "spam": 1,
    }  # fmt: skip
    busiest = response.context["busiest_posts"]
    assert [(p.title, p.recent_comments, p.recent_removed) for p in busiest] == [
        ("Busy post", 4, 1),
        ("Quiet post", 1, 0),
    ]


def test_the_overview_draws_an_accessible_chart_with_a_table(moderator_client):
    CommentFactory(created_at=timezone.now())

    page = moderator_client.get(OVERVIEW).text

    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert 'role="img"' in page
    assert 'aria-labelledby="overview-chart-title overview-chart-desc"' in page
    assert '<title id="overview-chart-title">' in page
    assert "New: 1 in all, at most 1 in a day." in page
    assert page.count("<rect ") == 1
    assert 'id="overview-table"' in page
    assert page.count('<th scope="row">') >= 30
    assert "style=" not in page[page.index("<svg xmlns") : page.index("</svg>")]
    assert "<script" not in page[page.index('<div id="content-main">') :]


def test_the_overview_says_what_is_waiting(moderator_client, guideline):
    ReportFactory(comment=CommentFactory(), guideline=guideline)
    CommentFactory(pending=True)

    page = moderator_client.get(OVERVIEW).text

    assert re.search(r"Reports queue</a>:\s*1 comment,\s*1 open report", page)
    assert re.search(r"Held comments</a>:\s*1 comment", page)


# --- The moderation log --------------------------------------------------------------------


def test_the_log_lists_every_event(moderator_client, moderator, guideline):
    comment = CommentFactory(body="Rude words here")
    comment_hide(comment=comment, moderator=moderator, guideline=guideline, note="Insult")
    held = CommentFactory(body="Buy now", pending=True)
    ModerationEvent.objects.create(
        comment=held, rule="hold words", action="hold", from_status="", to_status="pending"
    )

    response = moderator_client.get(LOG)

    assert response.status_code == 200
    page = response.text
    assert "<h1>Moderation log</h1>" in page
    assert "Rude words here" in page
    assert "Mo Derator" in page
    assert "rule: hold words" in page
    assert "Published → Hidden" in page


def test_the_log_filters_and_searches(moderator_client, moderator, guideline):
    comment = CommentFactory(body="Rude words here")
    comment_hide(comment=comment, moderator=moderator, guideline=guideline)
    held = CommentFactory(body="Buy now", pending=True)
    ModerationEvent.objects.create(
        comment=held, rule="hold words", action="hold", from_status="", to_status="pending"
    )

    def listed(query):
        return [e.comment.body for e in moderator_client.get(LOG, query).context["cl"].result_list]

    assert listed({"action": "hide"}) == ["Rude words here"]
    assert listed({"rule": "hold words"}) == ["Buy now"]
    assert listed({"actor__id__exact": moderator.pk}) == ["Rude words here"]
    assert listed({"q": "buy"}) == ["Buy now"]


def test_the_log_is_read_only_even_for_a_superuser(superuser_client, moderator, guideline):
    comment = CommentFactory()
    comment_hide(comment=comment, moderator=moderator, guideline=guideline, note="Kept.")
    event = ModerationEvent.objects.get()
    change = reverse("admin:comments_moderationevent_change", args=[event.pk])

    page = superuser_client.get(change)
    posted = superuser_client.post(change, {"note": "Rewritten", "_save": "Save"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert posted.status_code == 403
    assert superuser_client.get(reverse("admin:comments_moderationevent_add")).status_code == 403
    delete = reverse("admin:comments_moderationevent_delete", args=[event.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.note == "Kept."
