"""Every change to comments happens here: `posting` (comment, reply, edit) with
`admission` (whether a comment may be posted now), `moderation`
(hide, restore, spam, approve, dismiss, purge), `reports` (readers' reports), `guidelines`,
`members` (what a change to a member's account does to their comments),
`subscriptions` (stopping e-mails) and `follows` (following a discussion by e-mail). Each
keeps the comment version of the posts it touches in step, so a cached thread is never
served stale."""

from comments.services.admission import CommentRefused, commenter_refusal
from comments.services.bodies import comment_bodies_rerender
from comments.services.guidelines import guideline_save
from comments.services.members import member_comments_anonymise, member_threads_bump
from comments.services.moderation import (
    ModerationRefused,
    comment_approve,
    comment_hide,
    comment_mark_spam,
    comment_purge,
    comment_restore,
    comment_status_change_log,
    reports_dismiss,
    user_may_moderate,
)
from comments.services.posting import (
    RULE_MAX_LENGTH,
    USER_AGENT_MAX,
    Action,
    comment_can_edit,
    comment_create,
    comment_edit,
    discussion_settings_save,
    ip_hash,
    post_comments_bump,
)
from comments.services.reports import ReportRefused, report_create, report_refusal
from comments.services.subscriptions import (
    comment_unsubscribe,
    subscription_stop,
    user_unsubscribe_post_comments,
)

__all__ = [
    "RULE_MAX_LENGTH",
    "USER_AGENT_MAX",
    "Action",
    "CommentRefused",
    "ModerationRefused",
    "ReportRefused",
    "comment_approve",
    "comment_bodies_rerender",
    "comment_can_edit",
    "comment_create",
    "comment_edit",
    "comment_hide",
    "comment_mark_spam",
    "comment_purge",
    "comment_restore",
    "comment_status_change_log",
    "comment_unsubscribe",
    "commenter_refusal",
    "discussion_settings_save",
    "guideline_save",
    "ip_hash",
    "member_comments_anonymise",
    "member_threads_bump",
    "post_comments_bump",
    "report_create",
    "report_refusal",
    "reports_dismiss",
    "subscription_stop",
    "user_may_moderate",
    "user_unsubscribe_post_comments",
]
