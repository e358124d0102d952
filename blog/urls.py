from django.urls import path, re_path

from blog import feeds, views

app_name = "blog"

# [0-9], not \d, which also matches other scripts' digits ("٢٠٢٤") that int() reads.
YEAR = r"(?P<year>[0-9]{4})"
MONTH = r"(?P<month>[0-9]{2})"
DAY = r"(?P<day>[0-9]{2})"
# A post's address, /YYYY/MM/DD/slug/; the apps built on blog add pages under it.
POST_PATH = rf"{YEAR}/{MONTH}/{DAY}/(?P<slug>[-\w]+)/"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.LatestPostsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="feed_atom"),
    path("category/<slug:slug>/", views.category_archive, name="category"),
    path("category/<slug:slug>/feed/", feeds.CategoryPostsFeed(), name="category_feed"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/feed/", feeds.CorrectionsFeed(), name="corrections_feed"),
    path("preview/<str:token>/", views.post_preview, name="preview"),
    path("tag/<slug:slug>/", views.tag_archive, name="tag"),
    path("author/<str:username>/", views.author_archive, name="author"),
    re_path(rf"^{YEAR}/$", views.date_archive, name="year"),
    re_path(rf"^{YEAR}/{MONTH}/$", views.date_archive, name="month"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/$", views.date_archive, name="day"),
    re_path(rf"^{POST_PATH}$", views.post_detail, name="post_detail"),
    # Last of all, so that it never hides one of the site's own addresses (and
    # blog.models.RESERVED_PAGE_SLUGS keeps pages from taking one).
    path("<slug:slug>/", views.page_detail, name="page"),
]
