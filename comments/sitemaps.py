"""The comments app's part of /sitemap.xml: the Community Guidelines page, which every
discussion links to."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class GuidelinesSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["guidelines"]

    def location(self, name: str) -> str:
        return reverse(name)
