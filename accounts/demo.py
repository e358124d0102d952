"""Demo people for development: one of each role (and a reader), with known passwords, and a few
members with avatars drawn by Pillow who can take part in the demo discussions."""

import io
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from accounts.models import User
from accounts.roles import CONTRIBUTORS, EDITORS, MODERATORS
from accounts.services.roles import user_staff_flag_sync

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


DEMO_LOGINS = (
    DemoLogin("editor", "editor", "tribune-editor"),
    DemoLogin("moderator", "moderator", "tribune-moderator"),
    DemoLogin("reader", "reader", "tribune-reader"),
    DemoLogin("contributor", "contributor", "tribune-contributor"),
)

_PROFILES = {
    "editor": {
        "display_name": "Jane Doe",
        "byline_title": "Senior Researcher",
        "bio": "Jane covers public policy and the people it touches.",
        "groups": (EDITORS,),
    },
    "moderator": {
        "display_name": "Sam Moderator",
        "byline_title": "Community Editor",
        "bio": "Sam looks after the discussion under our articles.",
        "groups": (MODERATORS,),
    },
    "contributor": {
        "display_name": "Priya Shah",
        "byline_title": "Contributor",
        "bio": "Priya writes about the city’s parks and the people who look after them.",
        "groups": (CONTRIBUTORS,),
    },
    "reader": {
        "display_name": "Riley Reader",
        "byline_title": "",
        "bio": "",
        "groups": (),
    },
}


@dataclass(frozen=True)
class DemoMember:
    """A verified member with no password: they exist to be seen in discussions."""

    username: str
    display_name: str
    # Dark enough for white initials to pass WCAG AA contrast.
    colour: RGB

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.display_name.split()[:2]).upper()


DEMO_MEMBERS = (
    DemoMember("mirela", "Mirela Popescu", (169, 50, 38)),
    DemoMember("theo", "Theo Lindqvist", (31, 97, 141)),
    DemoMember("amara", "Amara Okafor", (25, 111, 61)),
    DemoMember("jonah", "Jonah Castellanos", (108, 52, 131)),
)

# A second writer, in the Editors group, with no password: they exist to share a byline
# on a demo article ("By Jane Doe and Tomás Reyes").
DEMO_WRITER = {
    "username": "tomas",
    "display_name": "Tomás Reyes",
    "byline_title": "Data Reporter",
    "bio": "Tomás turns public data into stories: buses, budgets and the weather.",
}

AVATAR_SIZE = 256


@transaction.atomic
def seed_demo_users() -> list[DemoLogin]:
    """Create or refresh the demo editor, moderator, reader and contributor, and the demo
    members; return the four logins.

    Running it again resets the logins' passwords and groups, so the printed
    logins always work, and adds nobody: a member keeps their password and their
    avatar, which is drawn again only if its file has gone.
    """
    now = timezone.now()
    for login in DEMO_LOGINS:
        profile = _PROFILES[login.role]
        user, _ = User.objects.update_or_create(
            username=login.username,
            defaults={
                "email": f"{login.username}@example.com",
                "display_name": profile["display_name"],
                "byline_title": profile["byline_title"],
                "bio": profile["bio"],
                "is_active": True,
            },
        )
        user.set_password(login.password)
        user.save(update_fields=["password"])
        _mark_verified(user, now)
        user.groups.set(Group.objects.filter(name__in=profile["groups"]))
        user_staff_flag_sync(user=user)
    for member in DEMO_MEMBERS:
        _seed_member(member, now)
    _seed_writer(now)
    return list(DEMO_LOGINS)


def _seed_writer(now: datetime) -> User:
    defaults = {
        "email": f"{DEMO_WRITER['username']}@example.com",
        **{key: value for key, value in DEMO_WRITER.items() if key != "username"},
        "is_active": True,
    }
    user, _ = User.objects.update_or_create(
        username=DEMO_WRITER["username"],
        defaults=defaults,
        create_defaults={**defaults, "password": make_password(None)},
    )
    _mark_verified(user, now)
    user.groups.set(Group.objects.filter(name=EDITORS))
    user_staff_flag_sync(user=user)
    return user


def _seed_member(member: DemoMember, now: datetime) -> User:
    defaults = {
        "email": f"{member.username}@example.com",
        "display_name": member.display_name,
        "is_active": True,
    }
    user, _ = User.objects.update_or_create(
        username=member.username,
        defaults=defaults,
        # Nobody signs in as them, so no password anyone could guess.
        create_defaults={**defaults, "password": make_password(None)},
    )
    _mark_verified(user, now)
    if not user.avatar or not user.avatar.storage.exists(user.avatar.name):
        user.avatar.save(f"{member.username}.png", ContentFile(draw_avatar(member)), save=False)
        user.save(update_fields=["avatar"])
    return user


def _mark_verified(user: User, now: datetime) -> None:
    # Keep the first confirmation time, so a second run changes nothing.
    if user.email_verified_at is None:
        user.email_verified_at = now
        user.save(update_fields=["email_verified_at"])


def draw_avatar(member: DemoMember) -> bytes:
    """A 256 × 256 PNG: the member's initials in white on their colour, over a soft ring."""
    picture = PILImage.new("RGB", (AVATAR_SIZE, AVATAR_SIZE), member.colour)
    draw = ImageDraw.Draw(picture)
    lighter = tuple(min(255, channel + 40) for channel in member.colour)
    draw.ellipse((28, 28, AVATAR_SIZE - 28, AVATAR_SIZE - 28), outline=lighter, width=10)
    font = ImageFont.load_default(size=96)
    left, top, right, bottom = draw.textbbox((0, 0), member.initials, font=font)
    position = ((AVATAR_SIZE - (right - left)) / 2 - left, (AVATAR_SIZE - (bottom - top)) / 2 - top)
    draw.text(position, member.initials, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
