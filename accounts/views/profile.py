"""A member's own account: profile, export of their comments, deleting the account.

PLACEHOLDER: being written; the names below are what accounts/urls.py expects.
"""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


profile = export_comments = delete_account = _todo
