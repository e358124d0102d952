from django.urls import path

from wordpress import views

app_name = "wordpress"

# Mounted at the site's root: old WordPress addresses that need a page of their own (the
# query-string ones and old permalinks are answered by wordpress.redirects.old_addresses).
urlpatterns = [
    path("comments/wp/<int:wp_id>/", views.comment_redirect, name="comment"),
]
