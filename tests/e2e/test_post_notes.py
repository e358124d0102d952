"""An editor adds a correction to a published article in its admin page; a reader sees it
in the marked box at the foot of the article, in light and dark colours, and in the
corrections log, both free of accessibility violations."""

import pytest
from playwright.sync_api import Browser, Page, expect

from blog.models import PostNote
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Bus fares rise in March"
CORRECTION = "An earlier version said fares rise by 5%. The rise is 4%."


def test_an_editor_corrects_an_article_and_readers_see_it(
    page: Page, browser: Browser, live_server, client
):
    editor = UserFactory(username="jane", editor=True, display_name="Jane Doe")
    post = PostFactory(title=TITLE, author=editor, body="<p>Fares rise by 4% in March.</p>")
    sign_in(page, live_server, client, editor)

    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.locator("#id_notes-0-kind").select_option("correction")
    page.locator("#id_notes-0-text").fill(CORRECTION)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert PostNote.objects.get(post=post).text == CORRECTION
    assert_no_page_errors(page)

    for scheme in ("light", "dark"):
        context = browser.new_context(locale="en-GB", color_scheme=scheme, base_url=live_server.url)
        reader = context.new_page()
        reader.goto(post.get_absolute_url())
        box = reader.get_by_role("complementary", name="Corrections and updates")
        expect(box).to_be_visible()
        expect(box).to_contain_text("Correction")
        expect(box).to_contain_text(CORRECTION)
        assert_accessible(reader)

        reader.get_by_role("link", name="Corrections", exact=True).click()
        expect(reader.get_by_role("heading", level=1)).to_have_text("Corrections and updates")
        expect(reader.get_by_text(CORRECTION)).to_be_visible()
        assert_accessible(reader)
        reader.get_by_role("link", name=TITLE).click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
        context.close()
