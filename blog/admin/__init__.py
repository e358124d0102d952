"""The admin editors write in: posts and their corrections, pages, the image library,
categories and tags.

Every write goes through ``blog.services``; the admin only lists, filters and shapes
forms. One module per subject; importing them registers each with the admin site.
"""

from blog.admin import images, notes, pages, posts, taxonomy
from blog.admin.posts import post_inline_add

__all__ = ["images", "notes", "pages", "post_inline_add", "posts", "taxonomy"]
