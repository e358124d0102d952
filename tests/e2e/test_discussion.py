"""Readers hold a conversation under an article, in a real browser, with and without JavaScript."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from comments.forms import new_form_token
from comments.models import Comment
from comments.selectors import discussion_settings_get
from comments.services import discussion_settings_save
from tests.e2e.conftest import PageProblems, assert_accessible, assert_no_page_errors, sign_in
from tests.factories import CommentFactory, PostFactory, UserFactory, build_discussion

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_quick_forms"),
]


@pytest.fixture
def article():
    post = PostFactory(title="Where the river floods", author=UserFactory(editor=True))
    root = CommentFactory(post=post, guest_name="Mira Osei", body="Was the weir the cause?")
    CommentFactory(parent=root, guest_name="Tom Hale", body="Partly, the report says.")
    from comments.services import post_comments_bump

    post_comments_bump(post.pk)
    post.refresh_from_db()
    return post


def write_comment(page: Page, body: str, name: str = "Ana Silva") -> None:
    form = page.locator("#comment-form")
    form.get_by_role("textbox", name="Comment").fill(body)
    if form.get_by_role("textbox", name="Name").count():
        form.get_by_role("textbox", name="Name").fill(name)
        form.get_by_role("textbox", name="E-mail").fill("ana@example.org")
    form.get_by_role("button", name="Post comment").click()


def test_guest_posts_a_comment_and_lands_on_it(page: Page, article):
    page.goto(article.get_absolute_url())
    expect(
        page.get_by_role("heading", name="2 thoughts on “Where the river floods”")
    ).to_be_visible()
    write_comment(page, "The new flood wall held this winter.\n\nWell done, council.")

    comment = Comment.objects.latest("pk")
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    posted = page.locator(f"#comment-{comment.pk}")
    expect(posted).to_contain_text("The new flood wall held this winter.")
    expect(posted).to_contain_text("Ana Silva")
    expect(posted.locator(".comment-number")).to_have_text("2.")
    expect(
        page.get_by_role("heading", name="3 thoughts on “Where the river floods”")
    ).to_be_visible()
    assert_no_page_errors(page)
    assert_accessible(page)


def test_form_errors_keep_the_text_and_say_what_is_wrong(page: Page, article):
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    form.get_by_role("textbox", name="Comment").fill("My words stay here.")
    form.get_by_role("textbox", name="Name").fill("Ana Silva")
    form.get_by_role("textbox", name="E-mail").fill(
        "ana@example"
    )  # the browser accepts it; we don't
    form.get_by_role("button", name="Post comment").click()

    expect(page.get_by_role("heading", name="Your comment wasn’t posted yet")).to_be_visible()
    expect(page.get_by_text("doesn’t look complete")).to_be_visible()
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("My words stay here.")
    assert Comment.objects.filter(post=article).count() == 2
    assert_accessible(page)


def test_reply_with_javascript_moves_the_form_under_the_comment(page: Page, article):
    root = Comment.objects.get(guest_name="Mira Osei")
    page.goto(article.get_absolute_url())
    page.locator(f"#comment-{root.pk} > .ca").get_by_role("link", name="Reply", exact=True).click()

    # No page load: the form now sits inside Mira's comment, set to answer her.
    expect(page).not_to_have_url(re.compile("replyto"))
    expect(page.locator(f"#comment-{root.pk} #comment-form")).to_be_visible()
    expect(page.get_by_role("heading", name="Reply to Mira Osei")).to_be_visible()
    expect(page.get_by_role("textbox", name="Comment")).to_be_focused()
    assert_accessible(page)

    page.get_by_role("link", name="Cancel reply").click()
    expect(page.locator(f"#comment-{root.pk} #comment-form")).to_have_count(0)
    expect(page.get_by_role("heading", name="Leave a comment")).to_be_visible()

    page.locator(f"#comment-{root.pk} > .ca").get_by_role("link", name="Reply", exact=True).click()
    write_comment(page, "It was the culvert, not the weir.")

    reply = Comment.objects.latest("pk")
    assert reply.parent_id == root.pk
    expect(page.locator(f"#comment-{root.pk} ol #comment-{reply.pk}")).to_contain_text(
        "It was the culvert"
    )
    assert_no_page_errors(page)


def test_reply_without_javascript_uses_the_replyto_link(browser: Browser, live_server, article):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    problems = PageProblems(page)
    page.on("console", problems.on_console)
    try:
        reply_to = Comment.objects.get(guest_name="Tom Hale")
        page.goto(article.get_absolute_url())
        page.locator(f"#comment-{reply_to.pk} > .ca").get_by_role(
            "link", name="Reply", exact=True
        ).click()

        expect(page).to_have_url(re.compile(rf"\?replyto={reply_to.pk}#respond$"))
        expect(page.get_by_role("heading", name="Reply to Tom Hale")).to_be_visible()
        expect(page.get_by_role("link", name="Cancel reply")).to_be_visible()
        write_comment(page, "Thanks, I found the report.")

        reply = Comment.objects.latest("pk")
        assert (reply.parent_id, reply.depth) == (reply_to.pk, 2)
        expect(page.locator(f"#comment-{reply_to.pk} #comment-{reply.pk}")).to_be_visible()
        # axe-core needs JavaScript; the same page is checked with it in the other tests.
        assert problems.messages == []
    finally:
        context.close()


def test_double_click_on_post_creates_one_comment(page: Page, article):
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    form.get_by_role("textbox", name="Comment").fill("Only once, please.")
    form.get_by_role("textbox", name="Name").fill("Ana Silva")
    form.get_by_role("textbox", name="E-mail").fill("ana@example.org")
    form.get_by_role("button", name="Post comment").dblclick()
    expect(page.get_by_text("Only once, please.")).to_be_visible()
    assert Comment.objects.filter(body="Only once, please.").count() == 1


def test_closed_discussion_shows_its_comments_and_no_form(page: Page, article):
    article.comments_enabled = False
    article.save(update_fields=["comments_enabled"])
    page.goto(article.get_absolute_url())
    expect(page.get_by_text("Comments are closed.")).to_be_visible()
    expect(page.get_by_text("Was the weir the cause?")).to_be_visible()
    expect(page.locator("#comment-form")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Reply"))).to_have_count(0)
    assert_accessible(page)


def test_member_comments_as_themselves_and_edits_it(page: Page, live_server, article, client):
    member = UserFactory(display_name="Sam Reader")
    sign_in(page, live_server, client, member)
    page.goto(article.get_absolute_url())
    expect(page.get_by_text("Commenting as Sam Reader.")).to_be_visible()
    write_comment(page, "Speaking as a member.")
    comment = Comment.objects.latest("pk")
    assert comment.user == member

    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Edit your comment").click()
    expect(page.get_by_role("heading", name="Edit your comment")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Comment").fill("Speaking as a member, corrected.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("corrected.")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("(edited)")


def test_deep_paged_thread_is_accessible_and_pages_work(page: Page):
    settings = discussion_settings_get()
    settings.comments_per_page = 5
    discussion_settings_save(settings=settings)
    post = PostFactory(title="A long conversation")
    build_discussion(post, [12] * 12)
    page.goto(post.get_absolute_url())
    depth_4 = ".comment-list ol ol ol ol > li"
    expect(page.locator(depth_4).first).to_be_visible()
    nav = page.get_by_role("navigation", name="Comment pages").first
    nav.get_by_role("link", name="Later comments").click()
    expect(page).to_have_url(re.compile(r"\?cpage=2#comments$"))
    expect(page.locator(".comment-number").first).to_have_text("6.")
    assert_no_page_errors(page)
    assert_accessible(page)


def test_guests_comment_and_reply_from_the_cached_page_without_a_csrf_token(
    browser: Browser, page: Page, live_server, article
):
    # The page as the page cache (core.pagecache) hands it to every guest: no CSRF token in
    # it, no cookie. Chromium says where the form was sent from (Origin, Sec-Fetch-Site).
    settings = discussion_settings_get()
    settings.flood_interval = 0
    discussion_settings_save(settings=settings)
    page.goto(article.get_absolute_url())
    expect(page.locator("#comment-form")).to_be_visible()
    expect(page.locator("input[name=csrfmiddlewaretoken]")).to_have_count(0)
    assert page.context.cookies() == []
    write_comment(page, "Posted from the shared page.")
    comment = Comment.objects.latest("pk")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Posted from the shared page.")

    # Another guest replies, with JavaScript moving the form under the comment. (Whoever
    # has just posted gets fresh pages of their own for a minute.)
    page.context.clear_cookies()
    page.goto(article.get_absolute_url())
    expect(page.locator("input[name=csrfmiddlewaretoken]")).to_have_count(0)
    replies = page.locator(f"#comment-{comment.pk} > .ca")
    replies.get_by_role("link", name="Reply", exact=True).click()
    write_comment(page, "Replying from the shared page.", name="Ben Okafor")
    reply = Comment.objects.latest("pk")
    assert reply.parent_id == comment.pk
    expect(page.locator(f"#comment-{comment.pk} #comment-{reply.pk}")).to_be_visible()
    assert_no_page_errors(page)

    # And one without JavaScript, through the ?replyto= page.
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    try:
        plain = context.new_page()
        plain.goto(article.get_absolute_url())
        plain.locator(f"#comment-{reply.pk} > .ca").get_by_role(
            "link", name="Reply", exact=True
        ).click()
        expect(plain.locator("input[name=csrfmiddlewaretoken]")).to_have_count(0)
        write_comment(plain, "And without JavaScript.", name="Chen Wei")
        last = Comment.objects.latest("pk")
        assert (last.parent_id, last.body) == (reply.pk, "And without JavaScript.")
        expect(plain.locator(f"#comment-{last.pk}")).to_be_visible()
    finally:
        context.close()


def test_a_comment_form_on_another_site_is_refused(page: Page, live_server, article):
    # A page elsewhere copies the form, token and all, and gets a visitor to send it.
    action = live_server.url + reverse("comments:post", args=[article.pk])
    page.route(
        "http://elsewhere.example/",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f"""<!doctype html><title>Win a prize</title>
            <form method="post" action="{action}">
            <input name="body" value="Buy now"><input name="name" value="Spam">
            <input name="email" value="spam@example.org"><input name="parent" value="">
            <input name="website" value=""><input name="token" value="{new_form_token()}">
            <button>Claim</button></form>""",
        ),
    )
    page.goto("http://elsewhere.example/")
    page.get_by_role("button", name="Claim").click()

    expect(page.get_by_role("heading", name="We didn’t post this comment")).to_be_visible()
    expect(page.get_by_text("seems to have been sent from another website")).to_be_visible()
    assert not Comment.objects.filter(body="Buy now").exists()
    page.get_by_role("link", name="Back to “Where the river floods”").click()
    expect(page.get_by_role("heading", name="Leave a comment")).to_be_visible()
