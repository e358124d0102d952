"""Autosave and edit conflicts in a real browser: a draft typed in the post editor survives a
closed tab, two editors of one post are warned about each other, and the second save over a
newer one is refused with the text still in the form."""

import re
import time

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from blog.models import Post, PostAutosave
from tests.e2e.conftest import PageProblems, assert_accessible, assert_no_page_errors, sign_in
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The page sends a changed draft every AUTOSAVE_SECONDS (5); wait a little longer.
SAVED = 15_000


def _body(page: Page):
    return page.locator(".field-body [contenteditable=true]")


def _type_in_body(page: Page, text: str) -> None:
    _body(page).click()
    page.keyboard.press("End")
    page.keyboard.insert_text(text)  # at once: the next autosave holds all of it


def _new_tab(browser: Browser, live_server) -> Page:
    """A tab of its own browser (its own cookies), watched for errors like the fixture's."""
    tab = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    tab.problems = PageProblems(tab)
    tab.on("console", tab.problems.on_console)
    tab.on("pageerror", tab.problems.on_page_error)
    return tab


def test_a_draft_typed_in_the_editor_survives_a_closed_tab(page: Page, live_server, client):
    ana = UserFactory(editor=True, display_name="Ana Ruiz")
    post = PostFactory(title="Rail strike", body="<p>Unions meet on Monday.</p>")
    sign_in(page, live_server, client, ana)
    url = f"/admin/blog/post/{post.pk}/change/"

    page.goto(url)
    _type_in_body(page, " Talks resumed at noon.")
    expect(page.get_by_text(re.compile(r"^Draft saved at \d\d:\d\d$"))).to_be_visible(timeout=SAVED)
    assert (
        Post.objects.get(pk=post.pk).body == "<p>Unions meet on Monday.</p>"
    )  # the post: as saved
    assert_no_page_errors(page)

    # The tab is closed without saving; the editor opens the post again in a new one.
    context = page.context
    page.close()
    page = context.new_page()
    page.problems = PageProblems(page)
    page.on("console", page.problems.on_console)
    page.on("pageerror", page.problems.on_page_error)
    page.goto(url)
    offer = page.get_by_role("region", name=re.compile("Restore the autosaved version from"))
    expect(offer).to_contain_text(re.compile(r"Restore the autosaved version from \d\d:\d\d\?"))
    expect(_body(page)).to_have_text("Unions meet on Monday.")
    assert_accessible(page)  # the whole form

    offer.get_by_role("button", name="Restore").click()
    expect(_body(page)).to_have_text("Unions meet on Monday. Talks resumed at noon.")
    expect(offer).to_be_hidden()
    expect(page.get_by_text("The autosaved version is back in the form.")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert (
        Post.objects.get(pk=post.pk).body == "<p>Unions meet on Monday. Talks resumed at noon.</p>"
    )
    assert PostAutosave.objects.get(user=ana).saved_at is None
    assert_no_page_errors(page)


def test_a_new_posts_first_draft_is_offered_back_and_discarded_on_request(
    page: Page, live_server, client
):
    ana = UserFactory(editor=True, display_name="Ana Ruiz")
    sign_in(page, live_server, client, ana)
    page.goto("/admin/blog/post/add/")
    page.get_by_label("Title").fill("Bus lanes on the ring road")
    expect(page.get_by_text(re.compile(r"^Draft saved at "))).to_be_visible(timeout=SAVED)

    page.goto("/admin/blog/post/add/")
    offer = page.get_by_role("region", name=re.compile("Restore the autosaved version"))
    offer.get_by_role("button", name="Restore").click()
    expect(page.get_by_label("Title")).to_have_value("Bus lanes on the ring road")
    expect(page.get_by_label("Slug")).to_have_value("bus-lanes-on-the-ring-road")

    page.goto("/admin/blog/post/add/")
    page.get_by_role("region", name=re.compile("Restore the autosaved version")).get_by_role(
        "button", name="Discard"
    ).click()
    expect(page.get_by_text("The autosaved version was discarded.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("")
    assert not PostAutosave.objects.filter(user=ana, post=None).exists()
    assert_no_page_errors(page)


def test_two_editors_are_warned_and_the_second_save_is_refused_keeping_the_text(
    page: Page, browser: Browser, live_server, client
):
    ana = UserFactory(editor=True, display_name="Ana Ruiz")
    ben = UserFactory(editor=True, display_name="Ben Okafor")
    post = PostFactory(title="Rail strike", body="<p>Unions meet on Monday.</p>")
    url = f"/admin/blog/post/{post.pk}/change/"

    sign_in(page, live_server, client, ana)
    page.goto(url)
    # Ana's page says at once that it is open; Ben, opening the post next, is warned.
    ben_page = _new_tab(browser, live_server)
    sign_in(ben_page, live_server, Client(), ben)  # a client of his own: Ana stays signed in
    _wait_for_presence(ana)
    ben_page.goto(url)
    expect(
        ben_page.get_by_text(re.compile(r"Ana Ruiz is also editing this post \(since"))
    ).to_be_visible()

    # Ana hears about Ben at her page's next autosave (once his page has said it is open).
    _wait_for_presence(ben)
    _type_in_body(page, " Ana's paragraph.")
    expect(
        page.get_by_text(re.compile(r"Ben Okafor is also editing this post \(since"))
    ).to_be_visible(timeout=SAVED)

    # Ben saves first; Ana's save is refused, her text still in the form.
    ben_page.get_by_label("Title").fill("Rail strike called off")
    ben_page.get_by_role("button", name="Save and continue editing").click()
    expect(ben_page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("button", name="Save and continue editing").click()
    refusal = page.locator(".errorlist.nonfield")
    expect(refusal).to_contain_text(
        re.compile(
            r"Ben Okafor saved this post at \d\d:\d\d, after you opened it\. Your changes are "
            r"not saved: copy them, reload, and apply them again\."
        )
    )
    expect(_body(page)).to_contain_text("Ana's paragraph.")
    stored = Post.objects.get(pk=post.pk)
    assert (stored.title, stored.body) == (
        "Rail strike called off",
        "<p>Unions meet on Monday.</p>",
    )
    assert_accessible(page)  # the whole form
    assert_no_page_errors(page)
    assert_no_page_errors(ben_page)
    ben_page.context.close()


def _wait_for_presence(user, timeout: float = 10) -> None:
    """Until ``user``'s page has said it is open (its first request, sent on load)."""
    deadline = time.monotonic() + timeout
    while not PostAutosave.objects.filter(user=user).exists():
        assert time.monotonic() < deadline, "the editor's page never said it was open"
        time.sleep(0.1)
