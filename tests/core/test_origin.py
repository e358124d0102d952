"""Where a request comes from, as the browser says it: Sec-Fetch-Site and Origin."""

import pytest
from django.test import RequestFactory

from core.origin import request_is_cross_site

TRUSTED = ["https://tribune.example.org", "https://*.partner.example"]


def request(*, secure=False, host="testserver", **headers):
    return RequestFactory().post(
        "/comments/post/1/", secure=secure, HTTP_HOST=host, headers=headers
    )


@pytest.fixture(autouse=True)
def _trusted_origins(settings):
    settings.ALLOWED_HOSTS = ["testserver", "tribune.example.org"]
    settings.CSRF_TRUSTED_ORIGINS = TRUSTED


@pytest.mark.parametrize(
    ("headers", "cross_site"),
    [
        ({}, False),  # an old browser or a script: nothing to go by
        ({"Sec-Fetch-Site": "same-origin"}, False),
        ({"Sec-Fetch-Site": "none"}, False),  # typed or bookmarked by the person
        ({"Sec-Fetch-Site": "same-site"}, True),  # a sibling subdomain is another site
        ({"Sec-Fetch-Site": "cross-site"}, True),
        ({"Sec-Fetch-Site": ""}, True),
        ({"Sec-Fetch-Site": "Same-Origin"}, True),  # browsers send it in lower case
        ({"Origin": "http://testserver"}, False),
        ({"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}, False),
        ({"Origin": "https://evil.example"}, True),
        ({"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"}, True),
        ({"Origin": "http://testserver", "Sec-Fetch-Site": "cross-site"}, True),
        ({"Origin": "null"}, True),  # a sandboxed frame, a data: URL, a redirect
        ({"Origin": ""}, True),
        ({"Origin": "https://testserver"}, True),  # another scheme is another origin
        ({"Origin": "http://testserver:8080"}, True),  # so is another port
        ({"Origin": "http://testserver.evil.example"}, True),
        ({"Origin": "http://[::1"}, True),  # not even a URL
        ({"Origin": "https://tribune.example.org"}, False),  # trusted: the public address
        ({"Origin": "https://tribune.example.org", "Sec-Fetch-Site": "same-origin"}, False),
        ({"Origin": "http://tribune.example.org"}, True),  # trusted over https only
        ({"Origin": "https://news.partner.example"}, False),  # a trusted wildcard
        ({"Origin": "https://partner.example.evil.example"}, True),
        ({"Origin": "https://news.partner.example", "Sec-Fetch-Site": "cross-site"}, True),
    ],
)
def test_request_is_cross_site(headers, cross_site):
    assert request_is_cross_site(request(**headers)) is cross_site


def test_the_sites_own_origin_follows_the_requests_scheme_and_host():
    secure = {"secure": True, "host": "tribune.example.org"}
    assert not request_is_cross_site(request(Origin="https://tribune.example.org", **secure))
    assert request_is_cross_site(request(Origin="http://testserver", secure=True))
    assert not request_is_cross_site(request(Origin="https://testserver", secure=True))


def test_trusted_origins_are_read_when_asked_not_when_first_used(settings):
    assert request_is_cross_site(request(Origin="https://elsewhere.example"))
    settings.CSRF_TRUSTED_ORIGINS = ["https://elsewhere.example"]
    assert not request_is_cross_site(request(Origin="https://elsewhere.example"))


def test_a_disallowed_host_is_no_origin_of_ours():
    # Django's check asks for the host, which refuses one outside ALLOWED_HOSTS.
    assert request_is_cross_site(request(host="evil.example", Origin="http://evil.example"))
