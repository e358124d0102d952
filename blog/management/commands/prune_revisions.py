from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from blog.models import Post, PostRevision
from blog.revisions import KEEP_ALL_DAYS
from blog.services import post_revisions_prune


class Command(BaseCommand):
    help = (
        "Prune old post revisions by the rule in docs/decisions.md: every revision of the "
        f"last {KEEP_ALL_DAYS} days is kept, older ones thinned to the last of each day; the "
        "newest and the last published revision of a post are always kept. Saving a post "
        "already prunes that post; this does every post. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        cutoff = now - timedelta(days=KEEP_ALL_DAYS)
        # Only posts with a revision old enough to be pruned are looked at.
        post_ids = (
            PostRevision.objects.filter(created_at__lt=cutoff)
            .values_list("post_id", flat=True)
            .distinct()
            .order_by("post_id")
        )
        pruned = posts = 0
        for post in Post.objects.filter(pk__in=list(post_ids)).only("pk").iterator():
            count = post_revisions_prune(post=post, now=now)
            pruned += count
            posts += bool(count)
        self.stdout.write(f"Pruned {pruned} old revisions of {posts} posts.")
