"""The post's whole admin form passes axe-core: the body editor, the autocomplete pickers
and every inline (co-authors, notes, the discussion schedule), for an editor and for a
contributor, on the add page and on the change page, also after a row is added and a
picker used (static/js/post_form_a11y.js labels widgets as they appear)."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _check_whole_form(page: Page, role: str) -> None:
    expect(page.locator(".field-body [contenteditable=true]")).to_be_visible()
    for heading in ("Co-authors", "Discussion modes"):
        expect(page.locator(".inline-group h2", has_text=heading)).to_have_count(1)
    # Notes to readers are an editor's (contributors have no permission on them).
    notes = page.locator(".inline-group h2", has_text="Corrections and updates")
    expect(notes).to_have_count(1 if role == "editor" else 0)
    expect(page.locator(".select2-container").first).to_be_visible()
    assert_accessible(page)
    assert_no_page_errors(page)


@pytest.mark.parametrize("role", ["editor", "contributor"])
def test_the_whole_post_form_passes_axe(page: Page, live_server, client, role):
    user = UserFactory(**{role: True})
    sign_in(page, live_server, client, user)
    page.goto("/admin/blog/post/add/")
    _check_whole_form(page, role)

    # A draft of their own: a contributor may change it.
    post = PostFactory(author=user, draft=True, body="<p>Otters below the weir.</p>")
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    _check_whole_form(page, role)


def test_added_rows_and_used_pickers_stay_labelled(page: Page, live_server, client):
    editor = UserFactory(editor=True, display_name="Ed Itor")
    UserFactory(editor=True, display_name="Cora Writer")
    post = PostFactory(author=editor, body="<p>Otters below the weir.</p>")
    sign_in(page, live_server, client, editor)
    page.goto(f"/admin/blog/post/{post.pk}/change/")

    editor_box = page.locator(".field-body [contenteditable=true]")
    expect(editor_box).to_have_accessible_name("Body:")
    expect(page.get_by_role("combobox", name="Featured image")).to_have_count(1)

    page.locator("#coauthors-group .add-row a").click()
    expect(page.locator("#coauthors-1")).to_be_visible()
    page.locator("#coauthors-1 .select2-selection").click()
    page.locator(".select2-search__field").last.fill("Cora")
    page.get_by_role("option", name="Cora Writer").click()
    expect(page.locator("#coauthors-1 .select2-selection")).to_contain_text("Cora Writer")
    assert_accessible(page)
    assert_no_page_errors(page)
