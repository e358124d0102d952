"""Pages marked as the shared page cache marks the ones it may store.

The page cache (``core.pagecache``) sets ``request.page_shared`` on a reader's GET that
carries no personal cookie (no session, no messages, no remembered commenter); what such a
page renders must hold nothing personal, so its comment form goes without a CSRF token.
This context processor marks pages the same way, without storing anything, for the tests
of posting from them (the ``shared_pages`` fixture). A context processor, not a
middleware: the live server of the browser tests loads its middleware once a session,
while template engines follow the settings of each test.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from comments.discussion import COMMENTER_COOKIE


def page_shared_marked(request) -> dict:
    personal = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, COMMENTER_COOKIE}
    request.page_shared = request.method in ("GET", "HEAD") and not (
        personal & request.COOKIES.keys()
    )
    return {}
