"""The Community Guidelines: the public page, the link from the comment form, the demo set
and editing them in the admin."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from blog.models import Post
from comments.demo.guidelines import GUIDELINES, seed_guidelines
from comments.models import Comment, Guideline
from comments.services import guideline_save
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/community-guidelines/"


def html(response) -> str:
    return response.content.decode()


class TestPage:
    def test_the_page_is_at_its_address_and_named_guidelines(self):
        assert reverse("guidelines") == PAGE

    def test_intro_says_how_moderation_and_reporting_work(self, client):
        page = html(client.get(PAGE))
        assert "<h1>Community Guidelines</h1>" in page
        assert "comments are not pre-screened" in page
        assert "Moderators remove comments that break these guidelines." in page
        assert "naming the guideline it broke" in page
        assert "<strong>Report</strong> link" in page

    def test_each_guideline_has_its_anchor_number_title_and_text_in_number_order(self, client):
        Guideline.objects.create(number=3, title="Stay on topic", text="About the article.")
        Guideline.objects.create(number=1, title="Be respectful", text="Argue with the point.")
        Guideline.objects.create(number=2, title="No spam", text="No advertising.")
        response = client.get(PAGE)
        page = html(response)
        assert response.status_code == 200
        assert response.templates[0].name == "comments/guidelines.html"
        positions = [page.index(f'id="guideline-{n}"') for n in (1, 2, 3)]
        assert positions == sorted(positions)
        assert '<span class="guideline-number">1.</span> Be respectful' in page
        assert "<p>Argue with the point.</p>" in page
        assert page.index("<h1") < page.index("<h2")

    def test_a_guidelines_link_points_at_its_anchor_on_the_page(self, client):
        guideline = Guideline.objects.create(number=7, title="No impersonation", text="...")
        assert guideline.get_absolute_url() == f"{PAGE}#guideline-7"
        assert 'id="guideline-7"' in html(client.get(PAGE))

    def test_text_is_escaped_and_keeps_its_paragraphs(self, client):
        Guideline.objects.create(
            number=1,
            title="No <b>shouting</b>",
            text="<script>alert(1)</script> first.\n\nSecond paragraph,\nsecond line.",
        )
        page = html(client.get(PAGE))
        assert "No &lt;b&gt;shouting&lt;/b&gt;" in page
        assert "<script>alert(1)</script>" not in page
        assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; first.</p>" in page
        assert "<p>Second paragraph,<br>second line.</p>" in page

    def test_without_guidelines_the_page_says_they_are_coming(self, client):
        response = client.get(PAGE)
        assert response.status_code == 200
        assert "haven’t been published yet" in html(response)

    @pytest.mark.parametrize("count", [1, 30])
    def test_one_query_however_many_guidelines(self, client, django_assert_num_queries, count):
        for n in range(1, count + 1):
            Guideline.objects.create(number=n, title=f"Rule {n}", text="Text.")
        # The guidelines; the site's navigation (blog.caching), the shared pages' version it
        # is kept under and the next moment a post goes live or leaves (kept with it,
        # blog.caching.visibility_changes_at), then the version alone.
        with django_assert_num_queries(4):
            response = client.get(PAGE)
        assert html(response).count('class="guideline mb-4"') == count
        with django_assert_num_queries(2):
            client.get(PAGE)

    def test_only_reading_methods_are_allowed(self, client):
        assert client.post(PAGE).status_code == 405


class TestCommentFormLink:
    def test_the_form_links_to_the_guidelines_in_its_moderation_line(self, client):
        post = PostFactory()
        page = html(client.get(post.get_absolute_url()))
        assert (
            "Comments are not pre-screened, but moderators remove anything that breaks our "
            f'<a href="{PAGE}">Community Guidelines</a>.'
        ) in page
        assert "Please read our Community Guidelines" in page

    def test_the_form_shown_again_with_errors_links_too(self, client):
        post = PostFactory()
        response = client.post(reverse("comments:post", args=[post.pk]), {"body": ""})
        assert response.status_code == 400
        assert f'<a href="{PAGE}">Community Guidelines</a>' in html(response)


class TestDemoSet:
    def test_seeding_adds_the_set_once(self):
        assert seed_guidelines() == len(GUIDELINES)
        assert seed_guidelines() == 0
        assert list(Guideline.objects.values_list("number", flat=True)) == list(
            range(1, len(GUIDELINES) + 1)
        )

    def test_seeding_covers_the_topics_the_site_promises(self):
        seed_guidelines()
        titles = " ".join(Guideline.objects.values_list("title", flat=True)).lower()
        for topic in ("respect", "personal attacks", "hate", "threats", "spam", "topic",
                      "personal information", "impersonation"):  # fmt: skip
            assert topic in titles

    def test_seeding_keeps_edits_and_adds_only_missing_numbers(self):
        seed_guidelines()
        Guideline.objects.filter(number=1).update(title="Be kind")
        Guideline.objects.filter(number=3).delete()
        assert seed_guidelines() == 1
        assert Guideline.objects.get(number=1).title == "Be kind"
        assert Guideline.objects.filter(number=3).exists()

    def test_seed_demo_reports_how_many_it_added(self, capsys):
        call_command("seed_demo", allow_without_debug=True)
        assert f"Community guidelines: {len(GUIDELINES)} added." in capsys.readouterr().out
        call_command("seed_demo", allow_without_debug=True)
        assert "Community guidelines: 0 added." in capsys.readouterr().out


class TestAdmin:
    """``comments.admin`` imports ``comments.admin.guidelines``, which registers it."""

    def test_guidelines_are_in_the_admin(self):
        assert Guideline in admin.site._registry, (
            "comments/admin/__init__.py must import comments.admin.guidelines"
        )

    def test_the_list_shows_number_and_title_in_number_order(self, admin_client):
        Guideline.objects.create(number=2, title="Second rule", text="...")
        Guideline.objects.create(number=1, title="First rule", text="...")
        page = html(admin_client.get(reverse("admin:comments_guideline_changelist")))
        assert page.index("First rule") < page.index("Second rule")

    @pytest.mark.parametrize("role", ["moderator", "superuser"])
    def test_moderators_and_superusers_add_and_change_guidelines(self, client, role):
        user = (
            UserFactory(is_staff=True, is_superuser=True)
            if role == "superuser"
            else UserFactory(moderator=True)
        )
        client.force_login(user)
        added = client.post(
            reverse("admin:comments_guideline_add"),
            {"number": "4", "title": "Stay on topic", "text": "About the article."},
        )
        assert added.status_code == 302
        guideline = Guideline.objects.get(number=4)
        changed = client.post(
            reverse("admin:comments_guideline_change", args=[guideline.pk]),
            {"number": "4", "title": "Keep to the subject", "text": "About the article."},
        )
        assert changed.status_code == 302
        guideline.refresh_from_db()
        assert guideline.title == "Keep to the subject"

    def test_a_number_already_taken_is_refused(self, admin_client):
        Guideline.objects.create(number=1, title="First rule", text="...")
        response = admin_client.post(
            reverse("admin:comments_guideline_add"),
            {"number": "1", "title": "Another", "text": "..."},
        )
        assert response.status_code == 200
        assert "errornote" in html(response)
        assert Guideline.objects.count() == 1

    def test_moderators_cannot_delete_guidelines(self, client):
        guideline = Guideline.objects.create(number=1, title="First rule", text="...")
        client.force_login(UserFactory(moderator=True))
        delete = reverse("admin:comments_guideline_delete", args=[guideline.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert Guideline.objects.exists()

    def test_editors_cannot_edit_guidelines(self, client):
        guideline = Guideline.objects.create(number=1, title="First rule", text="...")
        client.force_login(UserFactory(editor=True))
        change = reverse("admin:comments_guideline_change", args=[guideline.pk])
        assert client.get(change).status_code == 403
        data = {"number": "1", "title": "Changed", "text": "..."}
        assert client.post(change, data).status_code == 403
        assert client.get(reverse("admin:comments_guideline_add")).status_code == 403
        assert Guideline.objects.get().title == "First rule"


class TestGuidelineSave:
    """``guideline_save`` moves the comment version of exactly the posts whose threads
    show the guideline, and only when what they show of it changes."""

    def versions(self) -> dict[int, int]:
        return dict(Post.objects.values_list("pk", "comment_version"))

    def test_a_new_title_moves_only_the_posts_citing_it(self):
        cited = Guideline.objects.create(number=1, title="Be kind", text="Please.")
        other = Guideline.objects.create(number=2, title="Stay on topic", text="Please.")
        citing = CommentFactory(status=Comment.Status.HIDDEN, guideline=cited).post
        elsewhere = CommentFactory(status=Comment.Status.HIDDEN, guideline=other).post
        before = self.versions()

        cited.title = "Be civil"
        guideline_save(guideline=cited)

        after = self.versions()
        assert after[citing.pk] == before[citing.pk] + 1
        assert after[elsewhere.pk] == before[elsewhere.pk]

    def test_a_new_text_leaves_cached_threads_alone(self):
        guideline = Guideline.objects.create(number=1, title="Be kind", text="Please.")
        post = CommentFactory(status=Comment.Status.HIDDEN, guideline=guideline).post
        before = self.versions()

        guideline.text = "Please be kind to each other."
        guideline_save(guideline=guideline)

        assert self.versions()[post.pk] == before[post.pk]
        assert Guideline.objects.get(pk=guideline.pk).text == "Please be kind to each other."

    def test_a_number_already_taken_is_refused_and_nothing_changes(self):
        Guideline.objects.create(number=1, title="Be kind", text="Please.")
        second = Guideline.objects.create(number=2, title="Stay on topic", text="Please.")

        second.number = 1
        with pytest.raises(ValidationError):
            guideline_save(guideline=second)

        assert Guideline.objects.get(pk=second.pk).number == 2
