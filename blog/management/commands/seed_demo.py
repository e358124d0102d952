from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import seed_demo_users
from blog.demo import seed_demo_posts, seed_demo_review
from blog.models import Post
from blog.signals import demo_seeded


class Command(BaseCommand):
    help = (
        "Load the demo content and people (the apps built on blog add theirs through "
        "blog.signals.demo_seeded). Safe to run again: it updates, never duplicates."
    )

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
        waiting = seed_demo_review()
        reports = [lines for _receiver, lines in demo_seeded.send(sender=Post)]
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write(f"Demo articles: {posts.created} added, {posts.existing} already there.")
        if waiting:
            self.stdout.write("A contributor's draft is waiting for review.")
        for lines in reports:
            for line in lines:
                self.stdout.write(line)
        self.stdout.write("Demo logins (development only):")
        for login in logins:
            self.stdout.write(f"  {login.role:<12} {login.username} / {login.password}")
