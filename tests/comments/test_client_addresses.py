"""Flood control and reports count the client's address that
``accounts.ratelimit.client_ip`` finds behind trusted proxies, not what a header claims."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.forms import new_form_token
from comments.models import Comment, Guideline, Report
from comments.services import discussion_settings_save
from tests.accounts.test_client_ip import FORGED, NGINX, behind
from tests.factories import CommentFactory, PostFactory


def comment(browser: Client, post, n: int):
    data = {
        "body": f"Point {n}",
        "name": "Guest",
        "email": f"person{n}@example.org",
        "token": new_form_token(),
        "parent": "",
        "website": "",
    }
    return browser.post(reverse("comments:post", args=[post.pk]), data)


@pytest.mark.django_db
@pytest.mark.usefixtures("_quick_forms")
class TestCommentsPerAddress:
    @pytest.fixture(autouse=True)
    def _two_a_minute(self, settings, no_flood):
        settings.COMMENTS_PER_IP_PER_MINUTE = 2

    @pytest.mark.parametrize("proxies", [1, ["10.0.0.0/8"]])
    def test_behind_a_trusted_proxy_each_reader_is_counted_apart(self, settings, proxies):
        settings.TRUSTED_PROXIES = proxies
        post = PostFactory()
        office, home = behind(NGINX, "203.0.113.9"), behind(NGINX, "192.0.2.4")
        assert [comment(office, post, n).status_code for n in range(3)] == [302, 302, 400]
        assert comment(home, post, 3).status_code == 302
        assert Comment.objects.count() == 3

    def test_a_forged_header_through_the_proxy_does_not_make_a_new_reader(self, settings):
        settings.TRUSTED_PROXIES = 1
        post = PostFactory()
        for n in range(2):
            assert comment(behind(NGINX, "203.0.113.9", f"192.0.2.{n}"), post, n).status_code == 302
        refused = comment(behind(NGINX, "203.0.113.9", FORGED), post, 2)
        assert refused.status_code == 400
        assert "More comments have come from your network" in refused.text

    @pytest.mark.parametrize("proxies", [0, ["10.0.0.0/8"]])
    def test_a_forged_header_straight_to_the_app_is_ignored(self, settings, proxies):
        settings.TRUSTED_PROXIES = proxies
        post = PostFactory()
        for n in range(2):
            forger = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
            assert comment(forger, post, n).status_code == 302
        forger = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=FORGED)
        assert comment(forger, post, 2).status_code == 400
        assert Comment.objects.count() == 2

    @pytest.mark.parametrize(
        "junk", ["unknown", "a" * 5000, "1.2.3.4, <script>", "\u202e1.2.3.4", ",,,", "::::"]
    )
    def test_junk_in_the_header_never_fails_the_request(self, settings, junk):
        settings.TRUSTED_PROXIES = 2
        response = comment(Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=junk), PostFactory(), 0)
        assert response.status_code == 302
        assert Comment.objects.count() == 1


@pytest.mark.django_db
class TestReportsPerAddress:
    @pytest.fixture(autouse=True)
    def _guests_report(self, discussion_settings):
        discussion_settings.guests_may_report = True
        discussion_settings_save(settings=discussion_settings)
        self.guideline = Guideline.objects.create(number=1, title="Be kind", text="Be kind.")

    def report(self, browser: Client, n: int):
        data = {"guideline": str(self.guideline.pk), "note": "", "email": f"g{n}@example.org"}
        return browser.post(reverse("comments:report", args=[CommentFactory().pk]), data)

    def test_behind_a_trusted_proxy_the_limit_follows_the_reader_not_the_header(self, settings):
        settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
        for n in range(10):
            assert self.report(behind(NGINX, "203.0.113.9", f"192.0.2.{n}"), n).status_code == 302
        assert self.report(behind(NGINX, "203.0.113.9", FORGED), 10).status_code == 429
        assert self.report(behind(NGINX, "192.0.2.4"), 11).status_code == 302
        assert Report.objects.count() == 11
