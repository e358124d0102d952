"""The discussion through HTTP: reading, posting, replying, editing, closing, permalinks."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.forms import TOKEN_SALT, new_form_token
from comments.models import Comment, DiscussionSettings
from comments.services import discussion_settings_save
from comments.views.posting import comment_post
from tests.factories import (
    CommentFactory,
    PostFactory,
    UserFactory,
    build_discussion,
    comment_form_data,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_quick_forms")]


def form(**overrides):
    return comment_form_data(**overrides)


def send(client, post, **overrides):
    return client.post(reverse("comments:post", args=[post.pk]), form(**overrides))


def discussion(post, sizes):
    """Threads under ``post``: for each number in ``sizes``, a top-level comment with that
    many replies nested in a chain up to depth 4."""
    return build_discussion(post, sizes)


def section(response) -> str:
    html = response.content.decode()
    return html[html.index('id="comments"') :]


class TestReading:
    def test_heading_counts_published_comments_in_words(self, client):
        post = PostFactory(title="Bus lanes")
        assert "No comments yet" in section(client.get(post.get_absolute_url()))
        CommentFactory(post=post)
        CommentFactory(post=post, hidden=True)
        services.post_comments_bump(post.pk)
        assert "One thought on “Bus lanes”" in section(client.get(post.get_absolute_url()))
        CommentFactory(post=post)
        services.post_comments_bump(post.pk)
        assert "2 thoughts on “Bus lanes”" in section(client.get(post.get_absolute_url()))

    def test_comment_shows_name_initials_time_permalink_and_escaped_body(self, client):
        post = PostFactory()
        comment = CommentFactory(
            post=post,
            guest_name="Ada <Lovelace>",
            guest_email="ada@example.org",
            body="<script>alert(1)</script>\nsee https://example.org/page\n\nBye",
        )
        services.post_comments_bump(post.pk)
        html = section(client.get(post.get_absolute_url()))
        assert f'id="comment-{comment.pk}"' in html
        assert "Ada &lt;Lovelace&gt;" in html
        assert ">AL<" in html
        local = timezone.localtime(comment.created_at)
        assert (
            f'href="#comment-{comment.pk}">{local.day} {local:%B %Y} at {local:%H:%M}</a>' in html
        )
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in html
        assert 'href="https://example.org/page" rel="nofollow ugc noopener"' in html
        assert "<p>Bye</p>" in html
        assert "ada@example.org" not in response_text(client, post)

    def test_member_avatar_is_their_uploaded_picture(self, client):
        member = UserFactory(display_name="Sam", avatar="avatars/2026/11/sam.png")
        post = PostFactory()
        CommentFactory(post=post, user=member, guest_name="", guest_email="")
        services.post_comments_bump(post.pk)
        html = section(client.get(post.get_absolute_url()))
        assert 'src="/media/avatars/2026/11/sam.png"' in html
        assert "Sam" in html

    def test_former_member_is_named_without_a_link(self, client):
        post = PostFactory()
        CommentFactory(post=post, user=None, guest_name="", guest_email="")
        services.post_comments_bump(post.pk)
        assert "Former member" in section(client.get(post.get_absolute_url()))

    def test_top_level_comments_are_numbered_across_pages_and_threads_never_split(
        self, client, discussion_settings
    ):
        discussion_settings.comments_per_page = 5
        discussion_settings_save(settings=discussion_settings)
        post = PostFactory()
        roots = discussion(post, [3] * 12)
        first = section(client.get(post.get_absolute_url()))
        assert '<span class="comment-number">1.</span>' in first
        assert '<span class="comment-number">6.</span>' not in first
        second = section(client.get(post.get_absolute_url() + "?cpage=2"))
        assert '<span class="comment-number">6.</span>' in second
        assert f'id="comment-{roots[5].pk}"' in second
        # Every reply of the sixth thread is on page 2 with it.
        for reply in Comment.objects.filter(thread=roots[5]):
            assert f'id="comment-{reply.pk}"' in second
        third = section(client.get(post.get_absolute_url() + "?cpage=3"))
        assert '<span class="comment-number">12.</span>' in third
        assert 'aria-label="Comment pages"' in third

    def test_comment_pages_far_from_this_one_are_elided(self, client, discussion_settings):
        discussion_settings.comments_per_page = 5
        discussion_settings_save(settings=discussion_settings)
        post = PostFactory()
        discussion(post, [0] * 100)  # 20 pages
        html = section(client.get(post.get_absolute_url() + "?cpage=10"))
        nav = html[html.index('aria-label="Comment pages"') :]
        nav = nav[: nav.index("</nav>")]
        linked = [int(n) for n in re.findall(r'href="\?cpage=(\d+)#comments">\d+<', nav)]
        assert linked == [1, 8, 9, 11, 12, 20]
        assert '<span class="page-link">10</span>' in nav
        assert nav.count("…") == 2

    def test_hidden_top_level_comments_do_not_take_a_number(self, client):
        post = PostFactory()
        CommentFactory(post=post, hidden=True)
        CommentFactory(post=post)
        services.post_comments_bump(post.pk)
        html = section(client.get(post.get_absolute_url()))
        assert '<span class="comment-number">1.</span>' in html
        assert '<span class="comment-number">2.</span>' not in html

    # Superscript and Arabic-Indic digits, signs and spaces are no page numbers either.
    @pytest.mark.parametrize(
        "cpage", ["0", "abc", "-1", "4", "9999999", "%C2%B2", "%D9%A2", "+2", "%202", "1_0"]
    )
    def test_a_comment_page_that_does_not_exist_is_a_404(self, client, cpage):
        post = PostFactory()
        discussion(post, [0, 0])
        assert client.get(post.get_absolute_url() + f"?cpage={cpage}").status_code == 404

    def test_reply_link_goes_to_the_form_set_for_that_comment(self, client):
        post = PostFactory()
        (root,) = discussion(post, [0])
        html = section(client.get(post.get_absolute_url()))
        assert f'href="?replyto={root.pk}#respond"' in html
        reply_page = section(client.get(post.get_absolute_url() + f"?replyto={root.pk}"))
        assert f"Reply to {root.guest_name}" in reply_page
        assert re.search(rf'name="parent"\s+value="{root.pk}"', reply_page)
        assert "Cancel reply" in reply_page

    @pytest.mark.parametrize(
        "replyto", ["abc", "999999", "", "%C2%B2", "%D9%A2", "9" * 19, "9" * 5000, "0", "-1"]
    )
    def test_a_bad_replyto_just_shows_the_normal_form(self, client, replyto):
        post = PostFactory()
        response = client.get(post.get_absolute_url() + f"?replyto={replyto}")
        assert response.status_code == 200
        assert "Leave a comment" in section(response)

    def test_no_reply_link_at_the_maximum_depth(self, client):
        post = PostFactory()
        root = CommentFactory(post=post)
        chain = [root]
        for _ in range(4):
            chain.append(CommentFactory(parent=chain[-1]))
        services.post_comments_bump(post.pk)
        html = section(client.get(post.get_absolute_url()))
        assert f"replyto={chain[3].pk}#respond" in html
        assert f"replyto={chain[4].pk}#respond" not in html

    def test_closed_discussion_keeps_its_comments_and_shows_no_form(self, client):
        post = PostFactory(comments_enabled=False)
        discussion(post, [1])
        html = section(client.get(post.get_absolute_url()))
        assert "Comments are closed." in html
        assert "One thought" not in html
        assert "2 thoughts on" in html
        assert "comment-form" not in html
        assert "replyto=" not in html


def response_text(client, post) -> str:
    return client.get(post.get_absolute_url()).content.decode()


class TestPosting:
    def test_guest_comment_lands_on_its_anchor(self, client):
        post = PostFactory()
        response = send(client, post, body="First!")
        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
        assert (comment.guest_name, comment.guest_email, comment.body) == (
            "Jane Doe",
            "jane@example.org",
            "First!",
        )
        assert "First!" in section(client.get(post.get_absolute_url()))

    def test_new_comment_lands_on_the_last_comment_page(self, client, discussion_settings):
        discussion_settings.comments_per_page = 5
        discussion_settings_save(settings=discussion_settings)
        post = PostFactory()
        discussion(post, [0] * 10)
        response = send(client, post)
        comment = Comment.objects.latest("pk")
        assert response["Location"] == f"{post.get_absolute_url()}?cpage=3#comment-{comment.pk}"

    def test_reply_lands_on_its_threads_page(self, client, discussion_settings):
        discussion_settings.comments_per_page = 5
        discussion_settings_save(settings=discussion_settings)
        post = PostFactory()
        roots = discussion(post, [0] * 12)
        response = send(client, post, parent=str(roots[7].pk))
        reply = Comment.objects.latest("pk")
        assert reply.parent == roots[7]
        assert response["Location"] == f"{post.get_absolute_url()}?cpage=2#comment-{reply.pk}"

    def test_member_comments_as_themselves(self, client):
        member = UserFactory(display_name="Sam Reader")
        client.force_login(member)
        post = PostFactory()
        html = section(client.get(post.get_absolute_url()))
        assert "Commenting as <strong>Sam Reader</strong>" in html
        assert 'name="email"' not in html
        response = client.post(
            reverse("comments:post", args=[post.pk]),
            {"body": "As a member.", "token": new_form_token()},
        )
        assert response.status_code == 302
        assert Comment.objects.get().user == member

    def test_notify_box_is_stored(self, client):
        send(client, PostFactory(), notify_on_reply="on")
        assert Comment.objects.get().notify_on_reply

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"body": ""}, "Please write a comment first."),
            ({"body": "   "}, "Please write a comment first."),
            ({"body": "x" * 5001}, "Please keep your comment under 5,000 characters"),
            ({"body": "a\x00b"}, "Null characters are not allowed."),
            ({"name": ""}, "Please give a name to show with your comment."),
            ({"name": "n" * 101}, "Please keep your name under 100 characters."),
            ({"email": "not-an-address"}, "doesn’t look complete"),
            ({"email": ""}, "Please give your e-mail address"),
            ({"parent": "999999"}, "isn’t part of this discussion"),
            ({"parent": "abc"}, "isn’t part of this discussion"),
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_nothing_stored(
        self, client, overrides, message
    ):
        post = PostFactory()
        response = send(client, post, **overrides)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Your comment wasn’t posted yet" in response.content.decode()
        assert not Comment.objects.exists()

    def test_the_form_shown_again_keeps_what_was_typed(self, client):
        response = send(client, PostFactory(), body="My careful words", email="nope")
        assert "My careful words" in response.content.decode()

    def test_reply_to_a_hidden_comment_is_refused(self, client):
        parent = CommentFactory(hidden=True)
        response = send(client, parent.post, parent=str(parent.pk))
        assert response.status_code == 400
        assert "has been removed" in response.content.decode()
        assert Comment.objects.count() == 1

    def test_reply_with_a_parent_from_another_post_is_refused(self, client):
        other = CommentFactory()
        post = PostFactory()
        response = send(client, post, parent=str(other.pk))
        assert response.status_code == 400
        assert not Comment.objects.filter(post=post).exists()

    @pytest.mark.parametrize("post_kwargs", [{"draft": True}, {"scheduled": True}])
    def test_posting_on_an_unpublished_post_is_a_404(self, client, post_kwargs):
        response = send(client, PostFactory(**post_kwargs))
        assert response.status_code == 404
        assert not Comment.objects.exists()

    def test_posting_on_a_closed_discussion_is_refused_with_a_clear_403(self, client):
        post = PostFactory(comments_enabled=False)
        response = send(client, post)
        assert response.status_code == 403
        assert "Comments are closed on this article." in response.content.decode()
        assert not Comment.objects.exists()

    def test_guest_is_refused_with_a_403_where_accounts_are_required(
        self, client, discussion_settings
    ):
        discussion_settings.guests_allowed = False
        discussion_settings_save(settings=discussion_settings)
        post = PostFactory()
        assert "Please sign in to comment" in section(client.get(post.get_absolute_url()))
        response = send(client, post)
        assert response.status_code == 403
        assert "Please sign in to comment." in response.content.decode()

    def test_get_on_the_posting_address_is_not_allowed(self, client):
        assert client.get(reverse("comments:post", args=[PostFactory().pk])).status_code == 405

    def test_flood_and_duplicate_each_have_their_own_message(self, client, discussion_settings):
        post = PostFactory()
        send(client, post, body="Same words")
        flood = send(client, post, body="Other words")
        assert "You’re commenting faster than we allow" in flood.content.decode()
        discussion_settings.flood_interval = 0
        discussion_settings_save(settings=discussion_settings)
        duplicate = send(client, post, body="Same words")
        assert "You’ve already posted this comment here." in duplicate.content.decode()
        assert Comment.objects.count() == 1

    def test_two_guests_behind_one_address_both_post_and_both_say_thank_you(self):
        post = PostFactory()
        office = "203.0.113.9"
        jane, john = Client(REMOTE_ADDR=office), Client(REMOTE_ADDR=office)
        assert send(jane, post, body="Thank you!").status_code == 302
        response = send(john, post, body="Thank you!", name="John", email="john@example.org")
        assert response.status_code == 302
        member = Client(REMOTE_ADDR=office)
        member.force_login(UserFactory())
        assert send(member, post, body="Thank you!").status_code == 302
        assert Comment.objects.filter(body="Thank you!").count() == 3
        html = section(Client().get(post.get_absolute_url()))
        assert html.count("<p>Thank you!</p>") == 3  # in the list (the JSON-LD quotes them too)

    def test_one_guest_twice_within_the_flood_interval_is_refused_from_any_address(self):
        post = PostFactory()
        assert send(Client(REMOTE_ADDR="203.0.113.9"), post).status_code == 302
        again = send(Client(REMOTE_ADDR="198.51.100.1"), post, body="Something else")
        assert again.status_code == 400
        assert "You’re commenting faster than we allow. Please wait 15 seconds" in (
            again.content.decode()
        )
        assert Comment.objects.count() == 1

    def test_the_eleventh_guest_comment_in_a_minute_from_one_address_is_refused(
        self, settings, no_flood
    ):
        settings.COMMENTS_PER_IP_PER_MINUTE = 10
        post = PostFactory()
        office = Client(REMOTE_ADDR="203.0.113.9")
        for n in range(10):
            sent = send(office, post, body=f"Point {n}", email=f"person{n}@example.org")
            assert sent.status_code == 302
        refused = send(office, post, body="Point 10", email="person10@example.org")
        assert refused.status_code == 400
        assert "More comments have come from your network in the last minute" in (
            refused.content.decode()
        )
        assert Comment.objects.count() == 10
        elsewhere = Client(REMOTE_ADDR="198.51.100.1")
        assert (
            send(elsewhere, post, body="Point 10", email="person10@example.org").status_code == 302
        )

    def test_double_submit_of_the_same_form_creates_one_comment(self, client):
        post = PostFactory()
        data = form(body="Clicked twice")
        url = reverse("comments:post", args=[post.pk])
        first = client.post(url, data)
        second = client.post(url, data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Comment.objects.count() == 1

    def test_one_forms_token_sent_on_another_post_is_refused_with_a_new_form(self, client):
        # It was a 500: the form's key is unique across every comment.
        first_post, other_post = PostFactory(), PostFactory()
        data = form(body="Copied form")
        assert client.post(reverse("comments:post", args=[first_post.pk]), data).status_code == 302

        response = client.post(reverse("comments:post", args=[other_post.pk]), data)

        assert response.status_code == 400
        assert "This form has already been used to send a comment" in response.text
        assert re.search(r'name="token" value="(?!' + re.escape(data["token"]) + ")", response.text)
        assert not Comment.objects.filter(post=other_post).exists()


SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
CROSS_SITE = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
CROSS_SITE_REFUSED = "Your comment seems to have been sent from another website"
FORM_EXPIRED = "This form has expired"  # the CSRF failure page


def send_from(client, post, headers, **overrides):
    """A comment sent with the headers a browser adds (``Origin``, ``Sec-Fetch-Site``)."""
    return client.post(reverse("comments:post", args=[post.pk]), form(**overrides), headers=headers)


def csrf_token_of(client, post) -> str:
    page = client.get(post.get_absolute_url()).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def hidden_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}"\s+value="([^"]*)"', html).group(1)


class TestCrossSiteForgery:
    """A guest without a session posts without a CSRF token (a shared cached page holds
    none), unless the browser says the form came from another site; anyone with a session
    or signed in still needs Django's CSRF token. Every client checks CSRF as a browser's
    requests are checked."""

    def test_a_guest_without_cookies_or_token_posts_a_comment_and_a_reply(self, no_flood):
        guest = Client(enforce_csrf_checks=True)
        post = PostFactory()
        first = send_from(guest, post, SAME_ORIGIN, body="From the shared page.")
        assert first.status_code == 302
        root = Comment.objects.get()
        reply = send_from(guest, post, SAME_ORIGIN, body="And a reply.", parent=str(root.pk))
        assert reply.status_code == 302
        assert Comment.objects.get(parent=root).body == "And a reply."
        assert reply["Location"].endswith(f"#comment-{Comment.objects.latest('pk').pk}")

    def test_a_guest_whose_browser_sends_neither_header_posts(self):
        # An old browser, or a script, which could write any header anyway.
        assert send_from(Client(enforce_csrf_checks=True), PostFactory(), {}).status_code == 302
        assert Comment.objects.count() == 1

    @pytest.mark.parametrize(
        "headers",
        [
            CROSS_SITE,
            {"Origin": "https://evil.example"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site"},
            {"Origin": "null"},
            {"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"},
        ],
        ids=["both", "origin", "fetch-site", "same-site", "null-origin", "origin-disagrees"],
    )
    def test_a_guest_without_a_session_sending_from_another_site_is_refused(self, headers):
        guest = Client(enforce_csrf_checks=True)
        post = PostFactory(title="Bus lanes")
        response = send_from(guest, post, headers)
        assert response.status_code == 403
        assert CROSS_SITE_REFUSED in response.text
        assert "please go back to it and send your comment from there" in response.text
        assert f'href="{post.get_absolute_url()}#respond">Back to “Bus lanes”</a>' in response.text
        assert not Comment.objects.exists()
        assert not response.cookies  # no session, no CSRF cookie: nothing kept
        post.refresh_from_db()
        assert (post.comment_count, post.comment_version) == (0, 0)

    def test_a_cross_site_guest_comment_on_a_missing_post_is_refused_the_same(self):
        response = send_from(Client(), PostFactory.build(pk=987654), CROSS_SITE)
        assert response.status_code == 403
        assert CROSS_SITE_REFUSED in response.text
        assert 'href="/">Go to the home page</a>' in response.text

    def test_a_members_session_sent_from_another_site_is_refused(self):
        member_browser = Client(enforce_csrf_checks=True)
        member_browser.force_login(UserFactory())
        post = PostFactory()
        token = csrf_token_of(member_browser, post)
        for headers in (CROSS_SITE, {"Origin": "https://evil.example"}):
            # Even with the member's own token: Django's check refuses the origin.
            response = send_from(member_browser, post, headers, csrfmiddlewaretoken=token)
            assert response.status_code == 403
            assert FORM_EXPIRED in response.text
        assert not Comment.objects.exists()

    def test_a_member_without_a_csrf_token_is_refused_as_before(self):
        member_browser = Client(enforce_csrf_checks=True)
        member_browser.force_login(UserFactory())
        response = send_from(member_browser, PostFactory(), SAME_ORIGIN)
        assert response.status_code == 403
        assert FORM_EXPIRED in response.text
        assert not Comment.objects.exists()

    def test_a_member_posts_with_the_token_of_their_page(self):
        member = UserFactory()
        member_browser = Client(enforce_csrf_checks=True)
        member_browser.force_login(member)
        post = PostFactory()
        token = csrf_token_of(member_browser, post)
        response = send_from(member_browser, post, SAME_ORIGIN, csrfmiddlewaretoken=token)
        assert response.status_code == 302
        assert Comment.objects.get().user == member

    def test_signed_in_without_a_session_cookie_still_needs_the_token(self, rf):
        # The rule is "signed in", however that came about, not only "has the cookie".
        post = PostFactory()
        path = reverse("comments:post", args=[post.pk])
        request = rf.post(path, form(), headers=SAME_ORIGIN)
        request.user = UserFactory()
        response = comment_post(request, post_id=post.pk)
        assert response.status_code == 403
        assert FORM_EXPIRED in response.text
        assert not Comment.objects.exists()

    def test_a_guest_with_a_session_needs_the_token_and_is_refused_from_elsewhere(self, no_flood):
        no_flood.moderation_mode = DiscussionSettings.ModerationMode.ALL
        discussion_settings_save(settings=no_flood)
        guest = Client(enforce_csrf_checks=True)
        post = PostFactory()
        # A held comment is remembered in a session, so its writer can see it.
        assert send_from(guest, post, SAME_ORIGIN, body="Held for now.").status_code == 302
        assert django_settings.SESSION_COOKIE_NAME in guest.cookies

        cross_site = send_from(guest, post, CROSS_SITE, body="Forged.")
        no_token = send_from(guest, post, SAME_ORIGIN, body="Without a token.")

        assert cross_site.status_code == no_token.status_code == 403
        assert FORM_EXPIRED in cross_site.text
        assert FORM_EXPIRED in no_token.text
        assert list(Comment.objects.values_list("body", flat=True)) == ["Held for now."]
        token = csrf_token_of(guest, post)
        sent = send_from(guest, post, SAME_ORIGIN, body="With it.", csrfmiddlewaretoken=token)
        assert sent.status_code == 302

    def test_the_same_guest_sending_the_same_form_twice_gets_one_comment(self):
        post = PostFactory()
        data = form(body="Clicked twice")
        guest = Client(enforce_csrf_checks=True)
        first = send_from(guest, post, SAME_ORIGIN, **data)
        second = send_from(guest, post, SAME_ORIGIN, **data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Comment.objects.count() == 1

    def test_guests_served_one_cached_page_each_post_with_its_form(self, no_flood):
        post = PostFactory()
        jane, john, ann = (Client(enforce_csrf_checks=True) for _ in range(3))
        page = jane.get(post.get_absolute_url())
        html = page.text
        assert 'id="comment-form"' in html
        assert "csrfmiddlewaretoken" not in html
        assert not page.cookies  # so the page cache (core.pagecache) keeps it
        # John gets the very same page, form token and all.
        assert john.get(post.get_absolute_url()).text == html
        token = hidden_value(html, "token")

        first = send_from(jane, post, SAME_ORIGIN, token=token)
        second = send_from(
            john, post, SAME_ORIGIN, token=token, name="John", email="john@example.org"
        )

        assert first.status_code == second.status_code == 302
        assert first["Location"] != second["Location"]
        janes = Comment.objects.get(guest_name="Jane Doe")
        assert Comment.objects.get(guest_name="John").body == janes.body
        # A reply from the page as it is now (a new version: the comments changed).
        html = ann.get(post.get_absolute_url()).text
        assert "csrfmiddlewaretoken" not in html
        reply = send_from(
            ann,
            post,
            SAME_ORIGIN,
            token=hidden_value(html, "token"),
            parent=str(janes.pk),
            name="Ann",
            email="ann@example.org",
            body="Replying to Jane.",
        )
        assert reply.status_code == 302
        assert Comment.objects.get(guest_name="Ann").parent == janes

    def test_pages_that_are_not_shared_keep_the_token(self):
        post = PostFactory()
        member_browser = Client()
        member_browser.force_login(UserFactory())
        assert "csrfmiddlewaretoken" in member_browser.get(post.get_absolute_url()).text
        guest_with_session = Client()
        guest_with_session.cookies[django_settings.SESSION_COOKIE_NAME] = "stale"
        assert "csrfmiddlewaretoken" in guest_with_session.get(post.get_absolute_url()).text


class TestBotTraps:
    def test_honeypot_refuses_without_storing_and_tells_a_human_what_to_do(self, client):
        response = send(client, PostFactory(), website="http://spam.example")
        assert response.status_code == 400
        assert "Leave this field empty" in response.content.decode()
        assert not Comment.objects.exists()

    def test_a_form_sent_back_too_quickly_is_refused(self, client, settings):
        settings.COMMENT_FORM_MIN_SECONDS = 3
        response = send(client, PostFactory())
        assert response.status_code == 400
        assert "quicker than anyone can type" in response.content.decode()
        assert not Comment.objects.exists()

    def test_a_form_older_than_a_day_is_refused(self, client):
        old = time.time() - 25 * 60 * 60
        with mock.patch("comments.forms.time.time", return_value=old):
            token = new_form_token()
        response = send(client, PostFactory(), token=token)
        assert "more than a day ago" in response.content.decode()
        assert not Comment.objects.exists()

    @pytest.mark.parametrize(
        "token",
        [
            "",
            "garbage",
            signing.dumps({"t": 0, "k": "x"}, salt="other"),
            signing.dumps({"k": "x"}, salt=TOKEN_SALT),
        ],
        # Fixed ids: signed tokens carry the time, and parallel workers must collect the
        # same test names.
        ids=["missing", "garbage", "other-salt", "no-time"],
    )
    def test_a_missing_or_forged_token_is_refused(self, client, token):
        response = send(client, PostFactory(), token=token)
        assert response.status_code == 400
        assert not Comment.objects.exists()


class TestEditing:
    def test_author_edits_within_fifteen_minutes_and_it_shows_edited(self, client):
        member = UserFactory()
        client.force_login(member)
        post = PostFactory()
        comment = services.comment_create(post=post, body="Teh typo", user=member)
        assert f'href="/comments/{comment.pk}/edit/"' in section(
            client.get(post.get_absolute_url())
        )
        page = client.get(reverse("comments:edit", args=[comment.pk]))
        assert "Teh typo" in page.content.decode()
        response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "The typo"})
        assert response.status_code == 302
        html = section(client.get(post.get_absolute_url()))
        assert "The typo" in html
        assert "(edited)" in html

    def test_others_see_no_edit_link_and_cannot_edit(self, client):
        author = UserFactory()
        post = PostFactory()
        comment = services.comment_create(post=post, body="Mine", user=author)
        client.force_login(UserFactory())
        assert "/edit/" not in section(client.get(post.get_absolute_url()))
        response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Theirs"})
        assert response.status_code == 403
        comment.refresh_from_db()
        assert comment.body == "Mine"

    def test_an_old_held_comment_shows_no_edit_link_its_author_could_not_use(self, client):
        # The page and the edit view ask the same rule: a link is shown only where the
        # edit view would accept the member.
        member = UserFactory()
        post = PostFactory()
        comment = CommentFactory(
            post=post,
            user=member,
            status=Comment.Status.PENDING,
            created_at=timezone.now() - timedelta(days=2),
        )
        client.force_login(member)
        html = section(client.get(post.get_absolute_url()))
        assert f'id="comment-{comment.pk}"' in html  # still shown to its author, waiting
        assert "/edit/" not in html
        assert client.get(reverse("comments:edit", args=[comment.pk])).status_code == 403

    def test_a_fresh_held_comment_is_editable_from_its_link(self, client):
        member = UserFactory()
        post = PostFactory()
        comment = CommentFactory(post=post, user=member, status=Comment.Status.PENDING)
        client.force_login(member)
        assert f'href="/comments/{comment.pk}/edit/"' in section(
            client.get(post.get_absolute_url())
        )
        assert client.get(reverse("comments:edit", args=[comment.pk])).status_code == 200

    def test_editing_needs_signing_in(self, client):
        comment = CommentFactory()
        response = client.get(reverse("comments:edit", args=[comment.pk]))
        assert response.status_code == 302

    def test_edit_to_empty_is_refused_with_a_message(self, client):
        member = UserFactory()
        client.force_login(member)
        comment = services.comment_create(post=PostFactory(), body="Keep", user=member)
        response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": " "})
        assert response.status_code == 400
        assert "Please write a comment first." in response.content.decode()


class TestPermalink:
    def test_permalink_redirects_to_the_page_and_anchor(self, client, discussion_settings):
        discussion_settings.comments_per_page = 5
        discussion_settings_save(settings=discussion_settings)
        post = PostFactory()
        roots = discussion(post, [1] * 7)
        reply = Comment.objects.get(parent=roots[6])
        response = client.get(reverse("comments:permalink", args=[reply.pk]))
        assert response["Location"] == f"{post.get_absolute_url()}?cpage=2#comment-{reply.pk}"
        response = client.get(reverse("comments:permalink", args=[roots[0].pk]))
        assert response["Location"] == f"{post.get_absolute_url()}#comment-{roots[0].pk}"

    @pytest.mark.parametrize("status", ["hidden", "spam", "pending"])
    def test_permalink_of_a_comment_nobody_can_see_is_a_404(self, client, status):
        comment = CommentFactory(status=status)
        assert client.get(reverse("comments:permalink", args=[comment.pk])).status_code == 404

    def test_permalink_of_a_comment_on_a_draft_is_a_404(self, client):
        comment = CommentFactory(post=PostFactory(draft=True))
        assert client.get(reverse("comments:permalink", args=[comment.pk])).status_code == 404


class TestQueryBudgetAndCache:
    @pytest.mark.parametrize("sizes", [[1] * 3, [9] * 500], ids=["5 comments", "5000 comments"])
    def test_post_page_runs_the_same_few_queries_at_any_size(
        self, client, django_assert_num_queries, sizes
    ):
        post = PostFactory()
        discussion(post, sizes)
        # Uncached: the shared pages' version (core.pagecache), post, co-authors (12 -> 13
        # with them), categories, tags, notes (corrections and updates), previous, next,
        # discussion settings, roots page, threads, the site's navigation
        # (blog.caching.site_navigation_for), the next moment a post goes live or leaves
        # (blog.caching.visibility_changes_at).
        with django_assert_num_queries(13):
            response = client.get(post.get_absolute_url())
        assert response.status_code == 200
        # A reader past the full-page cache (who just sent a form, say) with the thread
        # from the thread cache and the article from blog.caching: the post's row with the
        # shared pages' version, the discussion settings.
        client.cookies[django_settings.PAGE_CACHE_FRESH_COOKIE] = "1"
        with django_assert_num_queries(2):
            client.get(post.get_absolute_url())

    def test_member_page_stays_within_budget(self, client, django_assert_max_num_queries):
        post = PostFactory()
        discussion(post, [9] * 500)
        client.force_login(UserFactory())
        # With nothing cached: the shared pages' version and the anonymous page's 12 (the
        # article, with the post's co-authors, and the site's navigation are drawn), the
        # session, the member, their own comments, who is suspended and who follows the post
        # (both cached under the shared pages' version), and the next moment a post goes live
        # or leaves (kept likewise, blog.caching.visibility_changes_at). (17 -> 18 with the
        # co-authors' query.)
        with django_assert_max_num_queries(18):
            client.get(post.get_absolute_url() + "?cpage=3")

    def test_a_warm_member_page_with_none_of_their_comments_skips_the_personal_query(
        self, client, django_assert_num_queries
    ):
        post = PostFactory()
        discussion(post, [9] * 500)
        client.force_login(UserFactory())
        client.get(post.get_absolute_url())  # fills the caches
        # The session, the member, the post's row with the shared pages' version, the
        # discussion settings; the article, the thread and the post's commenters cached.
        with django_assert_num_queries(4):
            client.get(post.get_absolute_url())

    def test_a_members_held_and_editable_comments_show_after_the_commenters_were_cached(
        self, client, discussion_settings
    ):
        discussion_settings.moderation_mode = DiscussionSettings.ModerationMode.ALL
        discussion_settings_save(settings=discussion_settings)
        post = PostFactory()
        discussion(post, [1])
        member = UserFactory()
        client.force_login(member)
        client.get(post.get_absolute_url())  # the commenters cached without them
        services.comment_create(post=post, body="Held for a moderator", user=member)
        html = section(client.get(post.get_absolute_url()))
        assert "Held for a moderator" in html
        assert "Your comment is awaiting moderation." in html
        assert "Held for a moderator" not in section(Client().get(post.get_absolute_url()))

    def test_a_new_comment_is_visible_on_the_very_next_load(self, client):
        post = PostFactory()
        discussion(post, [0])
        client.get(post.get_absolute_url())  # fills the cache
        send(client, post, body="Fresh off the press")
        assert "Fresh off the press" in section(client.get(post.get_absolute_url()))

    def test_personal_parts_never_reach_the_shared_cache(self, client):
        author = UserFactory()
        post = PostFactory()
        services.comment_create(post=post, body="My words", user=author)
        client.force_login(author)
        assert "/edit/" in section(client.get(post.get_absolute_url()))
        anonymous = Client()
        html = section(anonymous.get(post.get_absolute_url()))
        assert "/edit/" not in html
        assert "My words" in html
        # The token of one reader's form never appears in another's page.
        assert client.cookies.get("csrftoken") is None or (
            client.cookies["csrftoken"].value not in html
        )


class TestNaughtyStrings:
    """Every string of the Big List of Naughty Strings is stored and shown back escaped,
    or refused with a message; never a 500."""

    def test_each_string_as_a_comment_body(self, client, no_flood, naughty_strings_with_text):
        post = PostFactory()
        for i, text in enumerate(naughty_strings_with_text):
            response = send(client, post, body=text, email=f"p{i}@example.org")
            assert response.status_code in (302, 400), text
            if response.status_code == 302:
                comment = Comment.objects.latest("pk")
                expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
                assert comment.body == expected
        assert Comment.objects.count() > len(naughty_strings_with_text) * 0.9
        page = client.get(post.get_absolute_url() + "?cpage=1")
        assert page.status_code == 200
        assert "<script>alert(0)</script>" not in section(page)

    def test_each_string_as_a_guest_name(self, client, no_flood, naughty_strings_with_text):
        post = PostFactory()
        for i, text in enumerate(naughty_strings_with_text):
            response = send(client, post, name=text[:100], body=f"Comment {i}")
            assert response.status_code in (302, 400), text
        assert client.get(post.get_absolute_url()).status_code == 200


def test_recent_comment_times_use_the_posts_timezone_not_the_viewers(client):
    post = PostFactory()
    comment = CommentFactory(post=post, created_at=timezone.now() - timedelta(days=1))
    services.post_comments_bump(post.pk)
    local = timezone.localtime(comment.created_at)
    shown = f">{local.day} {local:%B %Y} at {local:%H:%M}</a>"
    assert shown in section(client.get(post.get_absolute_url()))


def test_a_pending_comment_is_shown_only_to_the_browser_that_posted_it(client):
    post = PostFactory()
    build_discussion(post, [0])
    pending = CommentFactory(post=post, pending=True, body="Held for a moderator")
    session = client.session
    session["comments.own"] = [pending.pk]
    session.save()
    own_view = section(client.get(post.get_absolute_url()))
    assert "Held for a moderator" in own_view
    assert "Your comment is awaiting moderation." in own_view
    others = section(Client().get(post.get_absolute_url()))
    assert "Held for a moderator" not in others


def test_the_articles_author_is_marked_in_the_thread(client):
    post = PostFactory()
    CommentFactory(post=post, user=post.author, guest_name="", guest_email="")
    CommentFactory(post=post, member=True)
    services.post_comments_bump(post.pk)
    html = section(client.get(post.get_absolute_url()))
    assert html.count('class="badge text-bg-secondary comment-by-author">Author</span>') == 1


class TestMembersAndGuests:
    @pytest.mark.parametrize(
        ("who", "guests_allowed"),
        [("guest", True), ("guest", False), ("member", True), ("unverified member", True)],
    )
    def test_the_form_is_offered_to_exactly_those_whose_comment_is_accepted(
        self, client, discussion_settings, who, guests_allowed
    ):
        discussion_settings.guests_allowed = guests_allowed
        discussion_settings_save(settings=discussion_settings)
        if who != "guest":
            client.force_login(UserFactory(unverified=who == "unverified member"))
        post = PostFactory()

        offered = 'id="comment-form"' in section(client.get(post.get_absolute_url()))
        accepted = send(client, post).status_code == 302

        assert offered == accepted
        assert offered == (who == "member" or (guests_allowed and who == "guest"))

    def test_unverified_member_is_told_why_they_cannot_comment(self, client):
        member = UserFactory(unverified=True)
        client.force_login(member)
        post = PostFactory()
        html = section(client.get(post.get_absolute_url()))
        assert "Please confirm your e-mail address to comment." in html
        assert 'href="/accounts/verify/resend/?next=' in html
        assert 'id="comment-form"' not in html
        response = client.post(
            reverse("comments:post", args=[post.pk]),
            {"body": "Let me in", "token": new_form_token()},
        )
        assert response.status_code == 403
        assert "Please confirm your e-mail address to comment." in response.content.decode()
        assert not Comment.objects.exists()

    def test_staff_accounts_need_no_confirmation(self, client):
        client.force_login(UserFactory(editor=True, unverified=True))
        post = PostFactory()
        response = client.post(
            reverse("comments:post", args=[post.pk]),
            {"body": "From the newsroom", "token": new_form_token()},
        )
        assert response.status_code == 302

    @pytest.mark.parametrize("default", [True, False])
    def test_reply_emails_box_follows_the_members_preference(self, client, default):
        client.force_login(UserFactory(notify_replies_default=default))
        html = section(client.get(PostFactory().get_absolute_url()))
        box = re.search(r'<input type="checkbox"\s+name="notify_on_reply"[^>]*>', html).group()
        assert ("checked" in box) is default

    def test_guest_who_ticks_remember_gets_the_form_filled_next_time(self, client):
        post = PostFactory()
        send(client, post, name="Ana Silva", email="ana@example.org", remember="on")
        cookie = client.cookies["tribune_commenter"]
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        html = section(client.get(post.get_absolute_url()))
        assert re.search(r'name="name"[^>]*value="Ana Silva"', html)
        assert re.search(r'name="email"[^>]*value="ana@example.org"', html)
        assert re.search(r'name="remember"[^>]*checked', html)

    def test_nothing_is_stored_in_the_browser_without_the_tick(self, client):
        post = PostFactory()
        response = send(client, post, name="Ana Silva", email="ana@example.org")
        assert "tribune_commenter" not in response.cookies or (
            response.cookies["tribune_commenter"].value == ""
        )
        html = section(client.get(post.get_absolute_url()))
        assert not re.search(r'name="name"[^>]*value="Ana Silva"', html)

    def test_unticking_forgets_a_remembered_guest(self, client, no_flood):
        post = PostFactory()
        send(client, post, body="First", remember="on")
        response = send(client, post, body="Second")
        assert response.cookies["tribune_commenter"].value == ""
        assert response.cookies["tribune_commenter"]["max-age"] == 0

    def test_a_forged_remember_cookie_is_ignored(self, client):
        client.cookies["tribune_commenter"] = '{"name": "Evil", "email": "e@example.org"}'
        html = section(client.get(PostFactory().get_absolute_url()))
        assert "Evil" not in html


def test_header_offers_sign_in_to_visitors_and_sign_out_by_post_to_members(client):
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert 'href="/accounts/signup/"' in html
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert 'href="/accounts/profile/"' in html
    assert re.search(r'<form method="post"\s+action="/accounts/logout/"', html)
