"""An editor adds a co-author to an article in its admin page, picking them with the
autocomplete; a reader sees "By A and B" on the article, each name a working link to that
person's author page, free of accessibility violations."""

import pytest
from playwright.sync_api import Page, expect

from blog.models import PostCoauthor
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Fourteen million taps on the 42 bus"


def test_an_editor_adds_a_co_author_and_readers_follow_both_bylines(
    page: Page, browser, live_server, client
):
    editor = UserFactory(username="jane", editor=True, display_name="Jane Doe")
    UserFactory(username="tomas", editor=True, display_name="Tomás Reyes")
    UserFactory(username="tom-member", display_name="Tom Member")  # not staff: not offered
    post = PostFactory(title=TITLE, author=editor)
    sign_in(page, live_server, client, editor)

    page.goto(f"/admin/blog/post/{post.pk}/change/")
    # Django's autocomplete (select2): open it, type, pick from what it offers.
    page.locator("#coauthors-group .select2-selection").first.click()
    page.locator(
        ".select2-search__field[aria-controls='select2-id_coauthors-0-user-results']"
    ).fill("tom")
    options = page.locator(".select2-results__option")
    expect(options).to_have_text(["Tomás Reyes"])
    options.first.click()
    page.locator("#id_coauthors-0-position").fill("1")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert list(PostCoauthor.objects.values_list("user__username", flat=True)) == ["tomas"]
    assert_no_page_errors(page)

    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    reader = context.new_page()
    reader.goto(post.get_absolute_url())
    byline = reader.locator("article.post .byline")
    expect(byline).to_contain_text("By Jane Doe and Tomás Reyes")
    assert_accessible(reader)

    for name in ("Jane Doe", "Tomás Reyes"):
        reader.goto(post.get_absolute_url())
        byline.get_by_role("link", name=name).click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(f"Articles by {name}")
        expect(reader.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
        assert_accessible(reader)
    context.close()
