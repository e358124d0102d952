"""What blog asks of the apps built on it (comments) without knowing them.

Apps depend one way: accounts <- blog <- comments. A higher app connects its receivers to
these signals in its ``AppConfig.ready()``; blog works, with less on its pages, when none
is connected. Each is sent with ``sender=Post``.
"""

from django.dispatch import Signal

# The post page is being rendered for ``request`` and the published ``post``: each receiver
# returns a dict to add to the page's context (comments adds the discussion block). A
# receiver may raise Http404, for a query string that names nothing. What a receiver adds
# is either the same for every reader outside the holes of the page (``core.holes``) or
# not: it says which under ``PAGE_SHELL_PART``, as a string naming every input of its
# shared part (a cache key of its own will do), or None when this reader's part is their
# own; the page is kept as a shell only when every receiver gave a string.
post_page_context = Signal()
PAGE_SHELL_PART = "page_shell_part"

# ``seed_demo`` has stored the demo members and articles: each receiver adds its own demo
# content (idempotently) and returns the lines to print about what it did.
demo_seeded = Signal()
