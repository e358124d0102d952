from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import seed_demo_users
from blog.demo import seed_demo_posts
from comments.demo import seed_demo_discussions
from comments.demo.guidelines import seed_guidelines


class Command(BaseCommand):
    help = "Load the demo content and people. Safe to run again: it updates, never duplicates."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even with DJANGO_DEBUG off (the demo accounts have known passwords).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "seed_demo creates accounts with well-known passwords, so it only runs "
                "with DJANGO_DEBUG=1. Pass --allow-without-debug if you really mean it."
            )
        logins = seed_demo_users()
        posts = seed_demo_posts()
        discussions = seed_demo_discussions()
        guidelines = seed_guidelines()
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write(f"Demo articles: {posts.created} added, {posts.existing} already there.")
        if discussions.added:
            noun = "post" if discussions.posts == 1 else "posts"
            self.stdout.write(
                f"Demo comments: {discussions.added} added on {discussions.posts} {noun}."
            )
        else:
            self.stdout.write("Demo comments: 0 added.")
        self.stdout.write(f"Community guidelines: {guidelines} added.")
        self.stdout.write("Demo logins (development only):")
        for login in logins:
            self.stdout.write(f"  {login.role:<10} {login.username} / {login.password}")
