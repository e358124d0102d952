from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from django.utils.translation import gettext as _

from wordpress.models import ImportedObject
from wordpress.redirects import imported_url


def comment_redirect(request: HttpRequest, wp_id: int) -> HttpResponseBase:
    """``/comments/wp/ID/``: an imported WordPress comment (``#comment-ID`` there), sent to
    its permalink, which finds its page and anchor."""
    url = imported_url(ImportedObject.Kind.COMMENT, str(wp_id))
    if url is None:
        raise Http404(_("That comment isn’t available."))
    return HttpResponsePermanentRedirect(url)
