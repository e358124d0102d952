from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from blog.sitemaps import SITEMAPS
from comments.sitemaps import GuidelinesSitemap
from comments.views import guidelines
from config import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {**SITEMAPS, "guidelines": GuidelinesSitemap}},
        name="sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("accounts/", include("accounts.urls")),
    path("", include("wordpress.urls")),
    path("", include("comments.urls")),
    path("community-guidelines/", guidelines.guidelines, name="guidelines"),
    # Last: blog.urls ends with the pages at /<slug>/, which would hide any route after
    # them (blog.models.RESERVED_PAGE_SLUGS keeps pages off the ones above).
    path("", include("blog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, view=views.media, document_root=settings.MEDIA_ROOT)

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
