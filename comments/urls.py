from django.urls import path, re_path

from blog.urls import POST_PATH
from comments import feeds
from comments.views import appeals, follows, moderation, reports, suspensions
from comments.views import posting as views

app_name = "comments"

# Mounted at the site's root: the comments' own pages live under /comments/, and each
# post's comment feed under the post's address.
urlpatterns = [
    path("comments/post/<int:post_id>/", views.comment_post, name="post"),
    path("comments/<int:pk>/", views.comment_permalink, name="permalink"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comments/<int:pk>/report/", reports.comment_report, name="report"),
    path("comments/<int:pk>/moderate/", moderation.comment_moderate, name="moderate"),
    path("comments/<int:pk>/suspend/", suspensions.comment_suspend_author, name="suspend"),
    path("comments/appeal/<str:token>/", appeals.comment_appeal, name="appeal"),
    path("comments/post/<int:post_id>/follow/", follows.follow_post, name="follow"),
    path("comments/post/<int:post_id>/unfollow/", follows.follow_stop_member, name="unfollow"),
    path("comments/follow/confirm/<str:token>/", follows.follow_confirm, name="follow_confirm"),
    path("comments/follow/stop/<str:token>/", follows.follow_stop, name="follow_stop"),
    path("comments/following/", follows.follow_list, name="following"),
    path("comments/feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("comments/unsubscribe/<str:token>/", views.comment_unsubscribe_page, name="unsubscribe"),
    re_path(rf"^{POST_PATH}feed/$", feeds.PostCommentsFeed(), name="post_comments_feed"),
]
