"""The moderators' comment list as something to scan: each comment in two lines with its
whole text one click away, the keyboard shortcuts' help, a bulk hide that asks for the
guideline once and keeps the queue and filter it came from. The list's query budget, at two
sizes, is test_moderation_admin.py's test_moderation_pages_run_a_bounded_number_of_queries.

The browser side (heights at 1280 px, the keys themselves) is tests/e2e/test_moderation_list.py.
"""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from comments.models import Comment, Guideline, ModerationEvent, Report
from tests.factories import CommentFactory, PostFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
REPORTS_QUEUE = reverse("admin:comments_comment_reports")
HELD_QUEUE = reverse("admin:comments_comment_held")


@pytest.fixture
def moderator_client(client):
    client.force_login(UserFactory(moderator=True, username="mod"))
    return client


@pytest.fixture
def attacks():
    return Guideline.objects.create(number=2, title="No personal attacks", text="Be civil.")


@pytest.fixture
def spam_rule():
    return Guideline.objects.create(number=5, title="No spam", text="No advertising.")


def row_of(page: str, comment: Comment) -> str:
    """The list's row for ``comment`` (found by its checkbox)."""
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    return next(row for row in rows if f'value="{comment.pk}"' in row)


def hide(client, comments, url, **data):
    """Choose Hide for ``comments`` on the page at ``url``, then confirm it with ``data``."""
    selection = {"action": "hide_comments", "_selected_action": [c.pk for c in comments]}
    asked = client.post(url, {**selection, "index": "0"})
    done = client.post(url, {**selection, "_confirm": "yes", **data}, follow=True)
    return asked, done


# --- Two lines per comment --------------------------------------------------------------


def test_each_comment_is_a_summary_that_opens_on_its_whole_text(moderator_client):
    post = PostFactory(title="Where the river floods")
    body = "First line of a long comment.\nSecond line & <b>more</b>. " + "Words " * 60
    comment = CommentFactory(post=post, guest_name="Mira Osei", body=body)

    row = row_of(moderator_client.get(CHANGELIST).text, comment)

    summary = re.search(r'<details class="comment-text"><summary>(.*?)</summary>', row).group(1)
    assert summary.startswith("First line of a long comment. Second line &amp; &lt;b&gt;more")
    full = re.search(r'<div class="comment-full">(.*?)</div>', row, flags=re.S).group(1)
    assert "First line of a long comment.<br>Second line &amp; &lt;b&gt;more&lt;/b&gt;." in full
    assert full.count("Words") == 60
    assert f'<a href="{comment.get_absolute_url()}">See it on the site</a>' in full
    meta = re.search(r'<div class="comment-meta">(.*?)</div>', row).group(1)
    post_link = f'<a href="{post.get_absolute_url()}">Where the river floods</a>'
    assert meta == f"Mira Osei (guest) on {post_link}"


def test_the_row_links_to_the_comments_page_keeping_the_lists_filters(moderator_client):
    comment = CommentFactory()

    page = moderator_client.get(f"{CHANGELIST}?status=published").text

    row = row_of(page, comment)
    link = re.search(r'<th class="field-created_at nowrap"><a href="([^"]+)"', row).group(1)
    assert unescape(link) == (
        reverse("admin:comments_comment_change", args=[comment.pk])
        + "?_changelist_filters=status%3Dpublished"
    )


def test_a_purged_comment_says_its_text_was_erased(moderator_client):
    comment = CommentFactory(body="", guest_name="", guest_email="", hidden=True)

    row = row_of(moderator_client.get(CHANGELIST).text, comment)

    assert "<summary>(text erased)</summary>" in row
    assert "Former member on" in row


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (CHANGELIST, ["Comment", "Status", "Reports", "Posted"]),
        (REPORTS_QUEUE, ["Comment", "Reports", "Guidelines cited", "Status", "First reported"]),
        (HELD_QUEUE, ["Comment", "Spam check", "Reports", "Posted"]),
    ],
    ids=["list", "reports", "held"],
)
def test_each_page_has_few_narrow_columns_beside_the_comment(
    moderator_client, attacks, url, headers
):
    reported = CommentFactory(pending=True)
    ReportFactory(comment=reported, guideline=attacks)

    response = moderator_client.get(url)

    shown = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(
            r'<th scope="col" class="(?!action-checkbox-column).*?</th>', response.text, re.S
        )
    ]
    assert [unescape(header).capitalize() for header in shown] == headers


def test_the_list_leaves_out_the_admins_side_menu_for_the_width(moderator_client):
    page = moderator_client.get(CHANGELIST).text

    assert 'id="nav-sidebar"' not in page
    assert "Reports queue (0)" in page


# --- Keyboard shortcuts ---------------------------------------------------------------------


def shortcut_keys(page: str) -> dict[str, str]:
    return dict(re.findall(r'<dt data-key="(\w)" data-action="(\w+)">', page))


def test_the_shortcuts_help_names_each_action_key(moderator_client):
    page = moderator_client.get(HELD_QUEUE).text

    assert shortcut_keys(page) == {
        "a": "approve_comments",
        "h": "hide_comments",
        "s": "mark_spam",
        "r": "restore_comments",
        "d": "dismiss_reports",
    }
    assert '<dialog id="moderation-shortcuts"' in page
    assert "static/js/moderation_list.js" in page
    # Shown only once the script has made the keys work.
    assert re.search(r'<p class="shortcuts-hint" hidden>', page)


def test_every_action_key_runs_an_action_of_the_menu(moderator_client, client):
    page = moderator_client.get(CHANGELIST).text

    menu = set(re.findall(r'<option value="(\w+)">', page))
    assert set(shortcut_keys(page).values()) <= menu
    assert "purge_comments" not in menu


# --- Bulk hide: one guideline for all, back where it came from --------------------------------


def test_a_bulk_hide_asks_for_the_guideline_once_and_cites_it_on_each(
    moderator_client, attacks, spam_rule
):
    post = PostFactory()
    rude = [CommentFactory(post=post) for _ in range(3)]
    untouched = CommentFactory(post=post)
    url = f"{REPORTS_QUEUE}?post__id__exact={post.pk}"
    for comment in rude:
        ReportFactory(comment=comment, guideline=attacks)
    ReportFactory(comment=untouched, guideline=spam_rule)

    asked, done = hide(moderator_client, rude, url, guideline=attacks.pk, note="Name-calling.")

    assert asked.text.count('name="guideline"') == 1
    assert "3 comments selected" in asked.text
    assert done.redirect_chain == [(url, 302)]
    assert "3 comments hidden." in [str(m) for m in get_messages(done.wsgi_request)]
    events = ModerationEvent.objects.filter(action="hide")
    assert sorted(e.comment_id for e in events) == sorted(c.pk for c in rude)
    assert {(e.guideline_id, e.note) for e in events} == {(attacks.pk, "Name-calling.")}
    assert {c.guideline_id for c in Comment.objects.filter(pk__in=[c.pk for c in rude])} == {
        attacks.pk
    }
    assert Comment.objects.get(pk=untouched.pk).status == Comment.Status.PUBLISHED
    assert [c.pk for c in done.context["cl"].result_list] == [untouched.pk]


def test_a_bulk_hide_without_a_guideline_asks_again_and_keeps_the_selection(
    moderator_client, attacks
):
    comments = [CommentFactory(pending=True), CommentFactory(pending=True)]

    _, again = hide(moderator_client, comments, HELD_QUEUE, guideline="")

    assert again.redirect_chain == []
    assert "Please choose the guideline that was broken." in again.text
    kept = re.findall(r'name="_selected_action"\s+value="(\d+)"', again.text)
    assert sorted(map(int, kept)) == sorted(c.pk for c in comments)
    assert not Comment.objects.filter(status=Comment.Status.HIDDEN).exists()


@pytest.mark.parametrize(
    ("cited", "offered"),
    [
        (["attacks", "spam", "spam"], "spam"),
        (["attacks", "spam"], "attacks"),  # equals: the lower number
        ([], None),
    ],
)
def test_hide_offers_first_the_guideline_the_reports_cite_most(
    moderator_client, attacks, spam_rule, cited, offered
):
    guidelines = {"attacks": attacks, "spam": spam_rule}
    comments = [CommentFactory(), CommentFactory()]
    for n, name in enumerate(cited):
        ReportFactory(comment=comments[n % 2], guideline=guidelines[name])
    dismissed = ReportFactory(comment=comments[0], guideline=attacks)
    Report.objects.filter(pk=dismissed.pk).update(resolution=Report.Resolution.DISMISSED)

    asked, _ = hide(moderator_client, comments, CHANGELIST)

    select = re.search(r'<select name="guideline"[^>]*>.*?</select>', asked.text, re.S).group(0)
    assert "autofocus" in select
    chosen = re.findall(r'<option value="(\d*)" selected>', select)
    assert chosen == ([str(guidelines[offered].pk)] if offered else [""])
