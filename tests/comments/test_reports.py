"""Readers report comments through HTTP: who may, what is refused, and auto-hide."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment, Guideline, ModerationEvent, Report
from comments.services import discussion_settings_save, reports
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

THANKS = "Thank you. A moderator will review this comment."
UNAVAILABLE = "That comment isn’t available."
ALREADY = "You’ve already reported this comment; a moderator will look at it."


@pytest.fixture
def guidelines(db):
    return [
        Guideline.objects.create(number=1, title="Be respectful", text="Argue with the point."),
        Guideline.objects.create(number=2, title="No personal attacks", text="No insults."),
        Guideline.objects.create(number=3, title="No spam", text="No advertising."),
    ]


@pytest.fixture
def comment(guidelines):
    post = PostFactory(title="Bus lanes")
    comment = CommentFactory(
        post=post, guest_name="Mira Osei", guest_email="mira@example.org", body="Buy pills now."
    )
    services.post_comments_bump(post.pk)
    return comment


@pytest.fixture
def member_client(client):
    member = UserFactory(display_name="Sam Reader")
    client.force_login(member)
    client.member = member
    return client


@pytest.fixture
def guests_may_report(discussion_settings):
    discussion_settings.guests_may_report = True
    discussion_settings_save(settings=discussion_settings)
    return discussion_settings


def auto_hide_after(discussion_settings, k):
    discussion_settings.auto_hide_reports = k
    discussion_settings_save(settings=discussion_settings)


def url(comment):
    return reverse("comments:report", args=[comment.pk])


def report(client, comment, guideline, **overrides):
    data = {"guideline": str(guideline.pk), "note": ""}
    data.update(overrides)
    return client.post(url(comment), {k: v for k, v in data.items() if v is not None})


def report_as(user, comment, guideline, **overrides):
    client = Client()
    client.force_login(user)
    return report(client, comment, guideline, **overrides)


def html(response) -> str:
    return response.content.decode()


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


class TestReportPage:
    def test_quotes_the_comment_escaped_and_lists_guidelines_by_number(self, member_client):
        post = PostFactory(title="Rents <rising>")
        comment = CommentFactory(
            post=post, guest_name="Ada <b>Bold</b>", body="<script>alert(1)</script>\n\nSecond."
        )
        Guideline.objects.create(number=2, title="No personal attacks", text="...")
        Guideline.objects.create(number=1, title="Be <respectful>", text="...")
        response = member_client.get(url(comment))
        page = html(response)
        assert response.status_code == 200
        assert response.templates[0].name == "comments/report.html"
        assert "Ada &lt;b&gt;Bold&lt;/b&gt;" in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)</script>" not in page
        assert "<p>Second.</p>" in page
        assert "“Rents &lt;rising&gt;”" in page
        assert page.index("1. Be &lt;respectful&gt;") < page.index("2. No personal attacks")
        assert page.count('type="radio"') == 2
        assert 'name="csrfmiddlewaretoken"' in page
        assert "Reporting as <strong>Sam Reader</strong>" in page
        assert 'name="email"' not in page

    def test_a_long_comment_is_quoted_as_an_excerpt(self, member_client, guidelines):
        comment = CommentFactory(body="word " * 400 + "THE-END")
        page = html(member_client.get(url(comment)))
        assert "word word" in page
        assert "THE-END" not in page
        assert "…" in page

    def test_links_to_the_guidelines(self, member_client, comment):
        assert 'href="/community-guidelines/"' in html(member_client.get(url(comment)))

    @pytest.mark.parametrize("state", ["hidden", "spam", "pending"])
    def test_a_comment_that_is_not_published_is_a_404(self, member_client, guidelines, state):
        comment = CommentFactory(**{state: True})
        for response in (
            member_client.get(url(comment)),
            report(member_client, comment, guidelines[0]),
        ):
            assert response.status_code == 404
            assert UNAVAILABLE in html(response)
        assert not Report.objects.exists()

    @pytest.mark.parametrize("trait", ["draft", "scheduled"])
    def test_a_comment_on_a_post_readers_cannot_see_is_a_404(
        self, member_client, guidelines, trait
    ):
        comment = CommentFactory(post=PostFactory(**{trait: True}))
        assert member_client.get(url(comment)).status_code == 404
        assert report(member_client, comment, guidelines[0]).status_code == 404
        assert not Report.objects.exists()

    def test_a_comment_that_does_not_exist_is_a_404(self, member_client, guidelines):
        response = member_client.get(reverse("comments:report", args=[999999]))
        assert response.status_code == 404
        assert UNAVAILABLE in html(response)

    def test_before_any_guideline_exists_reporting_is_not_open(self, member_client):
        comment = CommentFactory()
        response = member_client.get(url(comment))
        assert response.status_code == 200
        assert "Reporting opens once the site has published its guidelines." in html(response)
        main = html(response).split('id="main"')[1].split("</main>")[0]
        assert "<form" not in main  # (the footer's Sign out is a form of its own)
        assert member_client.post(url(comment), {"guideline": "1"}).status_code == 400
        assert not Report.objects.exists()

    def test_other_methods_are_not_allowed(self, member_client, comment):
        assert member_client.put(url(comment)).status_code == 405

    @pytest.mark.parametrize("guideline_count", [1, 40])
    def test_the_page_runs_a_bounded_number_of_queries(
        self, member_client, django_assert_max_num_queries, guideline_count
    ):
        for n in range(1, guideline_count + 1):
            Guideline.objects.create(number=n, title=f"Rule {n}", text="...")
        comment = CommentFactory(member=True)
        member_client.get(url(comment))  # the settings are cached from here on
        # With the site's navigation kept under the shared pages' version: one for that.
        with django_assert_max_num_queries(7):
            response = member_client.get(url(comment))
        assert html(response).count('type="radio"') == guideline_count


class TestWhoMayReport:
    def test_a_member_reports_as_themselves(self, member_client, comment, guidelines):
        response = report(member_client, comment, guidelines[1], note="Selling things.")
        assert response.status_code == 302
        stored = Report.objects.get()
        assert stored.comment == comment
        assert stored.reporter == member_client.member
        assert stored.reporter_key == f"user:{member_client.member.pk}"
        assert stored.guideline == guidelines[1]
        assert stored.note == "Selling things."
        assert stored.resolution == Report.Resolution.OPEN

    def test_a_guest_is_asked_to_sign_in_by_default(self, client, comment, guidelines):
        response = client.get(url(comment))
        assert response.status_code == 200
        page = html(response)
        assert "Please sign in to report a comment." in page
        assert f'href="/accounts/login/?next=/comments/{comment.pk}/report/"' in page
        assert 'type="radio"' not in page
        refused = report(client, comment, guidelines[0], email="ana@example.org")
        assert refused.status_code == 403
        assert "Please sign in to report a comment." in html(refused)
        assert not Report.objects.exists()

    def test_a_guest_reports_with_an_email_when_the_settings_allow(
        self, client, comment, guidelines, guests_may_report
    ):
        page = html(client.get(url(comment)))
        assert 'name="email"' in page
        response = report(client, comment, guidelines[2], email="Ana@Example.org")
        assert response.status_code == 302
        stored = Report.objects.get()
        assert stored.reporter is None
        assert stored.reporter_key.startswith("guest:")
        assert "ana" not in stored.reporter_key.lower()

    @pytest.mark.parametrize(
        ("email", "message"),
        [
            ("", "Please give your e-mail address; it is never shown."),
            ("ana@", "Please check your e-mail address; it doesn’t look complete."),
        ],
    )
    def test_a_guest_must_give_a_working_email(
        self, client, comment, guidelines, guests_may_report, email, message
    ):
        response = report(client, comment, guidelines[0], email=email)
        assert response.status_code == 400
        assert message in html(response)
        assert not Report.objects.exists()

    def test_an_unverified_member_is_asked_to_confirm_their_email(
        self, client, comment, guidelines
    ):
        client.force_login(UserFactory(unverified=True))
        message = "Please confirm your e-mail address to report comments."
        shown = client.get(url(comment))
        assert message in html(shown)
        assert 'type="radio"' not in html(shown)
        assert 'href="/accounts/verify/resend/' in html(shown)
        refused = report(client, comment, guidelines[0])
        assert refused.status_code == 403
        assert message in html(refused)
        assert not Report.objects.exists()

    def test_a_member_cannot_report_their_own_comment(self, member_client, guidelines):
        own = CommentFactory(user=member_client.member, guest_name="", guest_email="")
        message = "You can’t report your own comment."
        assert message in html(member_client.get(url(own)))
        refused = report(member_client, own, guidelines[0])
        assert refused.status_code == 403
        assert message in html(refused)
        assert not Report.objects.exists()

    def test_a_guest_cannot_report_a_comment_posted_with_their_email(
        self, client, comment, guidelines, guests_may_report
    ):
        refused = report(client, comment, guidelines[0], email="MIRA@example.org")
        assert refused.status_code == 403
        assert "You can’t report your own comment." in html(refused)
        assert not Report.objects.exists()

    def test_a_member_cannot_report_what_they_posted_as_a_guest(self, guidelines):
        member = UserFactory(email="mira@example.org")
        comment = CommentFactory(guest_email="Mira@Example.org")
        refused = report_as(member, comment, guidelines[0])
        assert refused.status_code == 403
        assert not Report.objects.exists()


class TestOneOpenReportPerPerson:
    def test_a_second_report_by_the_same_member_is_refused(
        self, member_client, comment, guidelines
    ):
        assert report(member_client, comment, guidelines[0]).status_code == 302
        assert ALREADY in html(member_client.get(url(comment)))
        again = report(member_client, comment, guidelines[1], note="Really.")
        assert again.status_code == 400
        assert ALREADY in html(again)
        assert Report.objects.get().guideline == guidelines[0]

    def test_the_same_guest_address_in_other_letters_is_the_same_person(
        self, client, comment, guidelines, guests_may_report
    ):
        assert report(client, comment, guidelines[0], email="ana@example.org").status_code == 302
        again = report(client, comment, guidelines[0], email=" ANA@example.ORG ")
        assert again.status_code == 400
        assert ALREADY in html(again)
        assert Report.objects.count() == 1

    def test_after_a_report_is_dismissed_the_person_may_report_again(
        self, member_client, comment, guidelines
    ):
        report(member_client, comment, guidelines[0])
        Report.objects.update(resolution=Report.Resolution.DISMISSED)
        assert report(member_client, comment, guidelines[1]).status_code == 302
        assert Report.objects.filter(resolution=Report.Resolution.OPEN).count() == 1

    def test_two_sends_racing_past_the_check_store_one_report(
        self, member_client, comment, guidelines
    ):
        report(member_client, comment, guidelines[0])
        original = reports._check_not_reported
        calls = []

        def first_check_misses(**kwargs):
            # The other request had not committed yet when this one checked.
            calls.append(kwargs)
            if len(calls) > 1:
                original(**kwargs)

        with mock.patch.object(reports, "_check_not_reported", first_check_misses):
            again = report(member_client, comment, guidelines[1])
        assert again.status_code == 400
        assert ALREADY in html(again)
        assert Report.objects.count() == 1

    def test_the_database_refuses_a_second_open_report(self, member_client, comment, guidelines):
        report(member_client, comment, guidelines[0])
        first = Report.objects.get()
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(
                comment=comment, reporter_key=first.reporter_key, guideline=guidelines[1]
            )


class TestInput:
    def test_a_note_of_1000_characters_is_kept(self, member_client, comment, guidelines):
        assert report(member_client, comment, guidelines[0], note="n" * 1000).status_code == 302
        assert Report.objects.get().note == "n" * 1000

    def test_a_longer_note_is_refused_and_kept_in_the_form(
        self, member_client, comment, guidelines
    ):
        response = report(member_client, comment, guidelines[0], note="n" * 1001)
        assert response.status_code == 400
        assert "Please keep your note under 1,000 characters; it has 1001." in html(response)
        assert "n" * 1001 in html(response)
        assert 'aria-invalid="true"' in html(response)
        assert not Report.objects.exists()

    def test_a_note_with_a_null_byte_is_refused(self, member_client, comment, guidelines):
        response = report(member_client, comment, guidelines[0], note="bad\x00note")
        assert response.status_code == 400
        assert "a null byte" in html(response)
        assert not Report.objects.exists()

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("999", "That guideline doesn’t exist. Please choose one from the list."),
            ("abc", "That guideline doesn’t exist. Please choose one from the list."),
            ("1.5", "That guideline doesn’t exist. Please choose one from the list."),
            ("", "Please choose the guideline this comment breaks."),
            (None, "Please choose the guideline this comment breaks."),
        ],
    )
    def test_a_guideline_that_does_not_exist_is_refused(
        self, member_client, comment, guidelines, value, message
    ):
        data = {"note": "x"} if value is None else {"guideline": value, "note": "x"}
        response = member_client.post(url(comment), data)
        assert response.status_code == 400
        assert message in html(response)
        assert 'id="id_guideline_error"' in html(response)
        assert not Report.objects.exists()

    def test_the_choice_the_person_made_stays_selected_after_an_error(
        self, member_client, comment, guidelines
    ):
        response = report(member_client, comment, guidelines[1], note="\x00")
        assert f'value="{guidelines[1].pk}"' in html(response)
        chosen = html(response).split(f'value="{guidelines[1].pk}"')[1].split(">")[0]
        assert "checked" in chosen

    def test_a_post_without_a_csrf_token_is_refused(self, comment, guidelines):
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory())
        response = report(client, comment, guidelines[0])
        assert response.status_code == 403
        assert response.templates[0].name == "403_csrf.html"
        assert not Report.objects.exists()

    def test_each_naughty_string_as_a_note_is_stored_exactly_or_refused(
        self, client, comment, guidelines, guests_may_report, monkeypatch, naughty_strings
    ):
        monkeypatch.setattr(reports, "REPORTS_PER_HOUR", 10_000)
        for i, text in enumerate(naughty_strings):
            response = report(client, comment, guidelines[0], note=text, email=f"r{i}@example.org")
            assert response.status_code in (302, 400), text
            if response.status_code == 302:
                expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
                assert Report.objects.latest("pk").note == expected
        assert Report.objects.count() > len(naughty_strings) * 0.9


class TestAfterReporting:
    def test_goes_back_to_the_comment_with_a_thank_you_and_the_comment_stays(
        self, member_client, comment, guidelines
    ):
        response = report(member_client, comment, guidelines[0])
        assert response["Location"] == comment.get_absolute_url()
        assert flashed(response) == [THANKS]
        followed = member_client.get(comment.get_absolute_url(), follow=True)
        assert f'id="comment-{comment.pk}"' in html(followed)
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PUBLISHED

    def test_the_thank_you_shows_on_the_post_page(self, member_client, comment, guidelines):
        response = member_client.post(
            url(comment), {"guideline": guidelines[0].pk, "note": ""}, follow=True
        )
        assert response.redirect_chain[0][0] == comment.get_absolute_url()
        assert THANKS in html(response)

    def test_ten_reports_an_hour_then_a_pause(self, member_client, guidelines):
        comments = [CommentFactory() for _ in range(11)]
        for c in comments[:10]:
            assert report(member_client, c, guidelines[0]).status_code == 302
        refused = report(member_client, comments[10], guidelines[0])
        assert refused.status_code == 429
        assert "You’ve sent 10 reports in the last hour" in html(refused)
        assert Report.objects.count() == 10

    def test_refused_reports_do_not_count_towards_the_limit(self, member_client, guidelines):
        target = CommentFactory()
        for _ in range(12):
            report(member_client, target, guidelines[0], note="\x00")
        assert report(member_client, target, guidelines[0]).status_code == 302

    def test_a_guest_changing_address_is_still_limited_by_connection(
        self, client, guidelines, guests_may_report
    ):
        comments = [CommentFactory() for _ in range(11)]
        for i, c in enumerate(comments[:10]):
            assert report(client, c, guidelines[0], email=f"g{i}@example.org").status_code == 302
        refused = report(client, comments[10], guidelines[0], email="fresh@example.org")
        assert refused.status_code == 429
        assert Report.objects.count() == 10

    def test_with_redis_down_a_report_is_still_taken(
        self, redis_server, client, comment, guidelines, guests_may_report, caplog
    ):
        redis_server.stop()
        response = report(client, comment, guidelines[0], email="guest@example.org")
        assert response.status_code == 302
        assert Report.objects.filter(comment=comment).count() == 1
        assert "(the rate limit comments:reports, not applied: " in caplog.text


class TestAutoHide:
    def test_off_by_default_however_many_report(self, comment, guidelines):
        for _ in range(5):
            assert report_as(UserFactory(), comment, guidelines[0]).status_code == 302
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PUBLISHED

    def test_the_kth_person_hides_it_citing_the_guideline_cited_most(
        self, discussion_settings, comment, guidelines
    ):
        auto_hide_after(discussion_settings, 3)
        # Patched where report_create looks it up.
        with mock.patch.object(reports, "comment_hide") as comment_hide:
            report_as(UserFactory(), comment, guidelines[2])
            report_as(UserFactory(), comment, guidelines[1])
            comment_hide.assert_not_called()
            report_as(UserFactory(), comment, guidelines[1])
        comment_hide.assert_called_once()
        kwargs = comment_hide.call_args.kwargs
        assert kwargs["comment"].pk == comment.pk
        assert kwargs["moderator"] is None
        assert kwargs["guideline"] == guidelines[1]
        assert kwargs["note"] == "Hidden automatically after 3 reports; awaiting review."
        assert kwargs["rule"] == "auto-hide"

    def test_the_comment_is_hidden_pending_review_and_the_reader_thanked(
        self, discussion_settings, comment, guidelines
    ):
        auto_hide_after(discussion_settings, 2)
        report_as(UserFactory(), comment, guidelines[0])
        response = report_as(UserFactory(), comment, guidelines[0])
        assert response.status_code == 302
        assert response["Location"] == f"{comment.post.get_absolute_url()}#comments"
        assert flashed(response) == [THANKS]
        comment.refresh_from_db()
        assert comment.status == Comment.Status.HIDDEN
        assert comment.guideline == guidelines[0]
        event = ModerationEvent.objects.get(comment=comment)
        assert (event.actor, event.rule, event.to_status) == (None, "auto-hide", "hidden")
        assert event.note == "Hidden automatically after 2 reports; awaiting review."
        assert Report.objects.filter(comment=comment).count() == 2

    def test_the_same_person_twice_counts_once(
        self, discussion_settings, member_client, comment, guidelines
    ):
        auto_hide_after(discussion_settings, 2)
        report(member_client, comment, guidelines[0])
        assert report(member_client, comment, guidelines[0]).status_code == 400
        Report.objects.update(resolution=Report.Resolution.DISMISSED)
        report(member_client, comment, guidelines[0])
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PUBLISHED

    def test_a_guest_and_a_member_are_different_people(
        self, client, discussion_settings, comment, guidelines, guests_may_report
    ):
        auto_hide_after(discussion_settings, 2)
        report(client, comment, guidelines[0], email="ana@example.org")
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PUBLISHED
        report_as(UserFactory(), comment, guidelines[0])
        comment.refresh_from_db()
        assert comment.status == Comment.Status.HIDDEN

    def test_a_hidden_comment_takes_no_more_reports(self, discussion_settings, comment, guidelines):
        auto_hide_after(discussion_settings, 2)
        report_as(UserFactory(), comment, guidelines[0])
        report_as(UserFactory(), comment, guidelines[0])
        late = report_as(UserFactory(), comment, guidelines[0])
        assert late.status_code == 404
        assert Report.objects.count() == 2
