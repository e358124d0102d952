"""The admin editors write in: posts, pages, the image library, categories and tags.

Every write goes through ``blog.services``; the admin only lists, filters and shapes
forms. One module per subject; importing them registers each with the admin site.
"""

from blog.admin import images, pages, posts, taxonomy
from blog.admin.posts import post_inline_add

__all__ = ["images", "pages", "post_inline_add", "posts", "taxonomy"]
