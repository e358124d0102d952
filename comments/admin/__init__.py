"""The comments app in the admin. Django's admin discovers this package; each module
registers its own models:

- ``discussion_settings``: the one row of discussion settings;
- ``guidelines``: the Community Guidelines;
- ``comment``: moderators' comment list, its queues, the read-only comment page and the
  overview page, with the moderation actions of ``actions``;
- ``events``: the moderation log, read-only;
- ``suspensions``: who is suspended, suspending and lifting, and the comment list's
  "Suspend the authors…" action;
- ``appeals``: authors' appeals against a hidden comment, and the moderator's decision;
- ``modes``: a post's discussion schedule, on the post's own page.

The queues' counts on the admin index come from the site itself (``config.admin``).
"""

from comments.admin import (  # noqa: F401
    appeals,
    comment,
    discussion_settings,
    events,
    guidelines,
    modes,
    suspensions,
)
