"""What accounts tells the apps built on it (blog, comments) without knowing them.

Apps depend one way: accounts <- blog <- comments. When an account changes in a way a
higher app cares about, the account services send one of these signals inside their
transaction; the higher app connects its receivers in its ``AppConfig.ready()``. A receiver
that raises rolls the change back.

Every signal is sent with ``sender=User`` and the member as ``user``.
"""

from django.dispatch import Signal

# The name or avatar shown next to what ``user`` wrote has changed (already saved).
member_appearance_changed = Signal()

# ``user``'s account is being closed: receivers remove what ties their data to the person.
# Sent before the account row itself is emptied, so ``user`` still has its e-mail and name.
account_closing = Signal()

# ``user`` asked for a copy of their data: each receiver returns a dict of sections
# (``{"comments": [...]}``) to add to the download.
account_exporting = Signal()
