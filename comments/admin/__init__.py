"""The comments app in the admin. Django's admin discovers this package; each module
registers its own models:

- ``discussion_settings``: the one row of discussion settings;
- ``comment``: moderators' comment list, its queues, the read-only comment page and the
  overview page, with the moderation actions of ``actions``;
- ``events``: the moderation log, read-only;
- ``index``: the queue counts on the admin index.

The guidelines' admin lives in ``comments.guidelines_admin``.
"""

from comments import guidelines_admin  # noqa: F401
from comments.admin import comment, discussion_settings, events, index  # noqa: F401
