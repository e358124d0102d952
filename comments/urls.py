from django.urls import path

from comments import feeds
from comments.views import moderation, reports
from comments.views import posting as views

app_name = "comments"

urlpatterns = [
    path("post/<int:post_id>/", views.comment_post, name="post"),
    path("<int:pk>/", views.comment_permalink, name="permalink"),
    path("<int:pk>/edit/", views.comment_edit, name="edit"),
    path("<int:pk>/report/", reports.comment_report, name="report"),
    path("<int:pk>/moderate/", moderation.comment_moderate, name="moderate"),
    path("feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("unsubscribe/<str:token>/", views.comment_unsubscribe_page, name="unsubscribe"),
]
