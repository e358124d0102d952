"""Keyboard shortcuts for the comment list and its queues.

The list renders its help (``admin/comments/comment/_shortcuts.html``, opened with ?) from
``shortcuts_for``, and ``static/js/moderation_list.js`` reads which key runs which action
from that help, so this table is the one copy of the keys. An action key runs the action on
the selected comments, or on the comment in focus when none is selected, exactly as the
Action menu and Run would: hiding asks for the guideline on the confirmation page.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Shortcut:
    key: str
    action: str
    label: str


ACTION_SHORTCUTS = (
    Shortcut("a", "approve_comments", _("Approve")),
    Shortcut("h", "hide_comments", _("Hide, citing a guideline")),
    Shortcut("s", "mark_spam", _("Mark as spam")),
    Shortcut("r", "restore_comments", _("Restore")),
    Shortcut("d", "dismiss_reports", _("Dismiss reports")),
)


def shortcuts_for(actions: dict) -> list[Shortcut]:
    """The action shortcuts for a person offered ``actions`` (``ModelAdmin.get_actions``):
    only keys whose action they may run."""
    return [shortcut for shortcut in ACTION_SHORTCUTS if shortcut.action in actions]
