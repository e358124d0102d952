"""Changing the Community Guidelines."""

from django.db import transaction
from django.db.models import F

from blog.models import Post
from comments.models import Comment, Guideline


def guideline_save(*, guideline: Guideline) -> Guideline:
    """Store a new or changed guideline and return it.

    A hidden comment's placeholder names the guideline it broke, by number and title, so
    when either changes every post with a comment citing it gets a new comment version in
    the same transaction, and no cached thread keeps the old words. Refuses
    (ValidationError, nothing stored) a number already taken, a blank title or text.
    """
    guideline.full_clean()
    with transaction.atomic():
        before = Guideline.objects.filter(pk=guideline.pk).values_list("number", "title").first()
        guideline.save()
        if before is not None and before != (guideline.number, guideline.title):
            citing = Comment.objects.filter(guideline=guideline).values("post_id")
            Post.objects.filter(pk__in=citing).update(comment_version=F("comment_version") + 1)
    return guideline
