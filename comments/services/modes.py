"""Changing a post's discussion schedule (``comments.modes``): the one way it is written, from
the post's admin page."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from blog.models import Post
from comments.models import ModeChange
from comments.modes.rules import schedule_clash
from comments.modes.wording import schedule_problem_message
from comments.services.posting import post_comments_bump


def schedule_check(changes: Iterable[ModeChange]) -> None:
    """Refuse (``ValidationError``) a schedule with two changes at one moment, which would
    leave the mode in force to chance."""
    clash = schedule_clash(change.starts_at for change in changes)
    if clash is not None:
        raise ValidationError(schedule_problem_message(*clash), code="clash")


def post_schedule_save(
    *, post: Post, saved: Iterable[ModeChange], deleted: Iterable[ModeChange] = ()
) -> None:
    """Store the changes ``saved`` (new or edited) of ``post``'s schedule and delete those
    ``deleted``, in one transaction that also moves the post's comment version and the
    shared pages' version (``post_comments_bump``): every cached page and thread showing the
    old schedule is replaced at the next request. Refuses (``ValidationError``, nothing
    stored) a change that does not fit its mode and a schedule that would have two changes
    at one moment.

    Edited changes are stored as new rows in place of the old ones, so two changes that
    swap their times never meet in the database's one-change-per-moment constraint."""
    saved, deleted = list(saved), list(deleted)
    for change in saved:
        change.post = post
        change.full_clean(exclude=["post"], validate_unique=False, validate_constraints=False)
    replaced = [change.pk for change in [*saved, *deleted] if change.pk is not None]
    kept = ModeChange.objects.filter(post=post).exclude(pk__in=replaced)
    schedule_check([*kept, *saved])
    with transaction.atomic():
        ModeChange.objects.filter(post=post, pk__in=replaced).delete()
        for change in saved:
            change.pk = None
            change._state.adding = True
        ModeChange.objects.bulk_create(saved)
        post_comments_bump(post.pk)
