"""Who may do what: every role against every admin page and every public action.

Each table reads as a matrix: one row per page or action, one column per role.
``SIGN_IN`` means "sent to the sign-in page with ``next`` set to this address".
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from blog.models import Post, PostNote, PreviewLink
from blog.review import review_submit
from blog.services import post_note_save, post_revision_record, post_save, preview_link_create
from comments.forms import new_form_token
from comments.models import Guideline
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    ImageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_quick_forms")]

SIGN_IN = "sign in"
# The admin's answer for an object someone may not see: back to the admin index, as for a
# number that names nothing, so a contributor learns nothing about others' posts.
GONE = "gone"

ROLES = ("anonymous", "member", "reader", "editor", "moderator", "superuser", "contributor")


def make_person(role: str) -> User | None:
    """One person in ``role``: ``member`` has not confirmed their e-mail yet, ``reader`` has."""
    match role:
        case "anonymous":
            return None
        case "member":
            return UserFactory(unverified=True)
        case "reader":
            return UserFactory(email_verified_at=timezone.now())
        case "editor":
            return UserFactory(editor=True)
        case "moderator":
            return UserFactory(moderator=True)
        case "superuser":
            return UserFactory(is_superuser=True, is_staff=True)
        case "contributor":
            return UserFactory(contributor=True)
    raise ValueError(role)


@dataclass
class World:
    """The objects the pages are about."""

    post: object
    image: object
    category: object
    tag: object
    member: User
    staff_author: User
    comment: object
    guideline: object
    note: object
    contributor_draft: object


@pytest.fixture
def world() -> World:
    staff_author = UserFactory(editor=True, username="jane")
    post = PostFactory(author=staff_author)
    post_revision_record(post=post, by=staff_author)
    return World(
        post=post,
        image=ImageFactory(),
        category=CategoryFactory(),
        tag=TagFactory(),
        member=UserFactory(username="plainmember", unverified=True),
        staff_author=staff_author,
        comment=CommentFactory(post=post, body="Someone else's comment"),
        guideline=Guideline.objects.create(number=1, title="Be respectful", text="Argue kindly."),
        note=post_note_save(note=PostNote(post=post, text="A name was misspelt.")),
        # Another contributor's draft: a contributor signed in below is never its author.
        contributor_draft=PostFactory(
            draft=True, author=UserFactory(contributor=True, username="carl")
        ),
    )


def login_as(client, role: str) -> User | None:
    person = make_person(role)
    if person is not None:
        client.force_login(person)
    return person


def expand(table: dict[str, tuple]) -> list:
    """One pytest case per cell of a page × role table."""
    return [
        pytest.param(page, role, expected, id=f"{page}-{role}")
        for page, row in table.items()
        for role, expected in zip(ROLES, row, strict=True)
    ]


# --- The admin ---------------------------------------------------------------

ADMIN_URLS = {
    "admin index": lambda w: reverse("admin:index"),
    "post changelist": lambda w: reverse("admin:blog_post_changelist"),
    "post add": lambda w: reverse("admin:blog_post_add"),
    "post change": lambda w: reverse("admin:blog_post_change", args=[w.post.pk]),
    "contributor's draft": lambda w: reverse(
        "admin:blog_post_change", args=[w.contributor_draft.pk]
    ),
    "draft preview": lambda w: reverse("admin:blog_post_preview", args=[w.contributor_draft.pk]),
    "review queue": lambda w: reverse("admin:blog_post_changelist") + "?review=waiting",
    "post delete": lambda w: reverse("admin:blog_post_delete", args=[w.post.pk]),
    "post history": lambda w: reverse("admin:blog_post_history", args=[w.post.pk]),
    "revision compare": lambda w: (
        reverse("admin:blog_post_revision_compare", args=[w.post.pk]) + "?to=1"
    ),
    "revision restore": lambda w: reverse("admin:blog_post_revision_restore", args=[w.post.pk, 1]),
    "image changelist": lambda w: reverse("admin:blog_image_changelist"),
    "image add": lambda w: reverse("admin:blog_image_add"),
    "category changelist": lambda w: reverse("admin:blog_category_changelist"),
    "category add": lambda w: reverse("admin:blog_category_add"),
    "tag changelist": lambda w: reverse("admin:blog_tag_changelist"),
    "tag add": lambda w: reverse("admin:blog_tag_add"),
    "note changelist": lambda w: reverse("admin:blog_postnote_changelist"),
    "note change": lambda w: reverse("admin:blog_postnote_change", args=[w.note.pk]),
    "note add": lambda w: reverse("admin:blog_postnote_add"),
    "note delete": lambda w: reverse("admin:blog_postnote_delete", args=[w.note.pk]),
    "discussion settings": lambda w: reverse("admin:comments_discussionsettings_change", args=[1]),
    "user changelist": lambda w: reverse("admin:accounts_user_changelist"),
    "user change": lambda w: reverse("admin:accounts_user_change", args=[w.member.pk]),
    "group changelist": lambda w: reverse("admin:auth_group_changelist"),
    "access attempts": lambda w: reverse("admin:axes_accessattempt_changelist"),
    "comment changelist": lambda w: reverse("admin:comments_comment_changelist"),
    "comment view": lambda w: reverse("admin:comments_comment_change", args=[w.comment.pk]),
    "reports queue": lambda w: reverse("admin:comments_comment_reports"),
    "held queue": lambda w: reverse("admin:comments_comment_held"),
    "moderation overview": lambda w: reverse("admin:comments_comment_overview"),
    "moderation log": lambda w: reverse("admin:comments_moderationevent_changelist"),
    "guideline changelist": lambda w: reverse("admin:comments_guideline_changelist"),
    "guideline add": lambda w: reverse("admin:comments_guideline_add"),
}

# fmt: off
ADMIN_MATRIX = {
    #                        anonymous member   reader   editor moderator superuser contributor
    "admin index":          (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      200),
    "post changelist":      (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      200),
    "post add":             (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   403,      200,      200),
    "post change":          (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      GONE),
    "contributor's draft":  (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      GONE),
    "draft preview":        (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      404),
    "review queue":         (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      200),
    "post delete":          (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   403,      200,      403),
    "post history":         (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      404),
    "revision compare":     (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      404),
    "revision restore":     (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   403,      200,      404),
    "image changelist":     (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      200),
    "image add":            (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   403,      200,      200),
    "category changelist":  (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      200),
    "category add":         (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   403,      200,      403),
    "tag changelist":       (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200,      200),
    "tag add":              (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   403,      200,      403),
    # Corrections and updates: added in the post's page only, so nobody adds one here.
    "note changelist":     (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200, 403),
    "note change":         (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   200,      200, 403),
    "note add":            (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   403,      403, 403),
    "note delete":         (SIGN_IN,  SIGN_IN, SIGN_IN, 200,   403,      200, 403),
    "discussion settings":  (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
    "user changelist":      (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   403,      200,      403),
    "user change":          (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   403,      200,      403),
    "group changelist":     (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   403,      200,      403),
    "access attempts":      (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   403,      200,      403),
    "comment changelist":   (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
    "comment view":         (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
    "reports queue":        (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
    "held queue":           (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
    "moderation overview":  (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
    "moderation log":       (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
    "guideline changelist": (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
    "guideline add":        (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   200,      200,      403),
}
# fmt: on


def test_the_admin_matrix_covers_every_admin_page():
    assert ADMIN_MATRIX.keys() == ADMIN_URLS.keys()


@pytest.mark.parametrize(("page", "role", "expected"), expand(ADMIN_MATRIX))
def test_admin_page(client, world, page, role, expected):
    url = ADMIN_URLS[page](world)
    login_as(client, role)

    response = client.get(url)

    assert_admin_answer(response, expected, url)


def assert_admin_answer(response, expected, url: str) -> None:
    """``expected`` is a status code; SIGN_IN: the admin's sign-in page, back to ``url``;
    or GONE: the admin index, as for an object that does not exist."""
    if expected == SIGN_IN:
        assert response.status_code == 302
        # The address is quoted as Django's redirect_to_login quotes it (a query's ? and =).
        assert response.url == f"{reverse('admin:login')}?{urlencode({'next': url}, safe='/')}"
    elif expected == GONE:
        assert response.status_code == 302
        assert response.url == reverse("admin:index")
    else:
        assert response.status_code == expected


def post_as(client, role: str, url: str, form: dict, expected) -> None:
    """Send ``form`` to the admin's ``url`` as someone in ``role``; the answer is ``expected``."""
    login_as(client, role)
    assert_admin_answer(client.post(url, form), expected, url)


# The admin's actions on one post, sent as the post's change page sends them.
# Each is an admin URL name taking the post's number, and the form it is sent.
ADMIN_ACTIONS = {
    "share a preview link": ("admin:blog_post_share", {"days": "7"}),
    "stop sharing": ("admin:blog_post_share_stop", {}),
}

# fmt: off
ADMIN_ACTION_MATRIX = {
    #                        anonymous member   reader   editor moderator superuser contributor
    "share a preview link": (SIGN_IN,  SIGN_IN, SIGN_IN, 302,   403,      302,      404),
    "stop sharing":         (SIGN_IN,  SIGN_IN, SIGN_IN, 302,   403,      302,      404),
}
# fmt: on


def test_the_admin_action_matrix_covers_every_admin_action():
    assert ADMIN_ACTION_MATRIX.keys() == ADMIN_ACTIONS.keys()


@pytest.mark.parametrize(("action", "role", "expected"), expand(ADMIN_ACTION_MATRIX))
def test_admin_action(client, world, action, role, expected):
    world.draft = PostFactory(draft=True, author=world.staff_author)
    live = PreviewLink.objects.live().filter(post=world.draft)
    preview_link_create(post=world.draft, created_by=world.staff_author, days=7)
    name, form = ADMIN_ACTIONS[action]

    post_as(client, role, reverse(name, args=[world.draft.pk]), form, expected)

    allowed = expected == 302 and role in ("editor", "superuser")
    if action == "share a preview link":
        assert live.count() == (2 if allowed else 1)
    else:
        assert live.count() == (0 if allowed else 1)


# fmt: off
RESTORE_MATRIX = {
    #                      anonymous member   reader   editor moderator superuser contributor
    "restore a revision": (SIGN_IN,  SIGN_IN, SIGN_IN, 302,   403,      302,      404),
}
# fmt: on


@pytest.mark.parametrize(("action", "role", "expected"), expand(RESTORE_MATRIX))
def test_restoring_a_revision(client, world, action, role, expected):
    first_title = world.post.title
    world.post.title = "A later title"
    post_save(post=world.post)
    post_revision_record(post=world.post, by=world.staff_author)
    login_as(client, role)
    url = reverse("admin:blog_post_revision_restore", args=[world.post.pk, 1])

    response = client.post(url)

    assert_admin_answer(response, expected, url)
    world.post.refresh_from_db()
    restored = expected == 302
    assert world.post.title == (first_title if restored else "A later title")
    assert world.post.revisions.count() == (3 if restored else 2)


# Corrections and updates changed from their admin list: an edit, a deletion.
NOTE_WRITES = {
    "edit a note": ("admin:blog_postnote_change", {"kind": "update", "text": "Reworded."}),
    "delete a note": ("admin:blog_postnote_delete", {"post": "yes"}),
}

# fmt: off
NOTE_WRITE_MATRIX = {
    #                anonymous  member   reader   editor moderator superuser
    "edit a note":   (SIGN_IN,  SIGN_IN, SIGN_IN, 302,   403,      302, 403),
    "delete a note": (SIGN_IN,  SIGN_IN, SIGN_IN, 302,   403,      302, 403),
}
# fmt: on


def test_the_note_write_matrix_covers_every_note_write():
    assert NOTE_WRITE_MATRIX.keys() == NOTE_WRITES.keys()


@pytest.mark.parametrize(("write", "role", "expected"), expand(NOTE_WRITE_MATRIX))
def test_note_write(client, world, write, role, expected):
    stamp = timezone.now() - timedelta(days=1)
    type(world.post).objects.filter(pk=world.post.pk).update(updated_at=stamp)
    name, form = NOTE_WRITES[write]

    post_as(client, role, reverse(name, args=[world.note.pk]), form, expected)

    allowed = expected == 302
    note = PostNote.objects.filter(pk=world.note.pk).first()
    if write == "edit a note":
        assert note.text == ("Reworded." if allowed else "A name was misspelt.")
    else:
        assert (note is None) is allowed
    # Through the service: the post is marked as changed exactly when the note is.
    world.post.refresh_from_db()
    assert (world.post.updated_at > stamp) is allowed


# The review steps on a post another contributor submitted, as the post's page sends them.
REVIEW_STEPS = {
    "approve": ("approve", {"at": ""}),
    "send back": ("send-back", {"comment": "Please name the source of the figures."}),
    "withdraw": ("withdraw", {}),
}

# fmt: off
REVIEW_MATRIX = {
    #             anonymous member   reader   editor moderator superuser contributor
    "approve":   (SIGN_IN,  SIGN_IN, SIGN_IN, 302,   403,      302,      403),
    "send back": (SIGN_IN,  SIGN_IN, SIGN_IN, 302,   403,      302,      403),
    "withdraw":  (SIGN_IN,  SIGN_IN, SIGN_IN, 403,   403,      403,      404),
}
# fmt: on

# What each step leaves the post in when it is allowed.
REVIEW_OUTCOME = {"approve": "none", "send back": "sent_back", "withdraw": "none"}


def test_the_review_matrix_covers_every_review_step():
    assert REVIEW_MATRIX.keys() == REVIEW_STEPS.keys()


@pytest.mark.parametrize(("step", "role", "expected"), expand(REVIEW_MATRIX))
def test_review_step(client, world, step, role, expected):
    post = world.contributor_draft
    review_submit(post=post, by=post.author)
    login_as(client, role)
    name, form = REVIEW_STEPS[step]
    url = reverse("admin:blog_post_review", args=[post.pk, name])

    response = client.post(url, form)

    assert_admin_answer(response, expected, url)
    post.refresh_from_db()
    allowed = expected == 302
    assert post.review_state == (REVIEW_OUTCOME[step] if allowed else "waiting")
    assert post.is_published is (allowed and step == "approve")


# --- What a contributor may do with posts ----------------------------------------


@pytest.fixture
def contributor_client(client):
    client.force_login(UserFactory(contributor=True, username="cora"))
    return client


def test_a_contributor_sees_only_their_own_posts_in_the_list(contributor_client, world):
    mine = PostFactory(draft=True, author=User.objects.get(username="cora"), title="Mine")

    response = contributor_client.get(reverse("admin:blog_post_changelist"))

    assert [post.pk for post in response.context["cl"].result_list] == [mine.pk]
    assert world.post.title not in response.text
    assert world.contributor_draft.title not in response.text


def test_a_contributor_cannot_publish_with_the_list_action(contributor_client):
    mine = PostFactory(draft=True, author=User.objects.get(username="cora"))

    page = contributor_client.get(reverse("admin:blog_post_changelist"))
    response = contributor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_selected", ACTION_CHECKBOX_NAME: [mine.pk]},
    )

    assert page.context["action_form"] is None  # no action is offered to them at all
    assert "publish_selected" not in page.text
    assert response.status_code in (200, 302)
    mine.refresh_from_db()
    assert mine.status == Post.Status.DRAFT


def test_a_contributor_cannot_publish_through_the_form_data(contributor_client):
    mine = PostFactory(draft=True, author=User.objects.get(username="cora"), slug="mine")
    url = reverse("admin:blog_post_change", args=[mine.pk])
    soon = timezone.localtime() + timedelta(hours=1)

    response = contributor_client.post(
        url,
        {
            "title": "Mine, changed",
            "slug": "mine",
            "excerpt": "",
            "body": "<p>Text.</p>",
            "featured_image": "",
            "comments_enabled": "on",
            "status": "published",
            "published_at_0": soon.strftime("%Y-%m-%d"),
            "published_at_1": soon.strftime("%H:%M:%S"),
            "is_sticky": "on",
            "discussion_modes-TOTAL_FORMS": "0",
            "discussion_modes-INITIAL_FORMS": "0",
            "coauthors-TOTAL_FORMS": "0",
            "coauthors-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Mine, changed"  # the words are theirs to change
    assert mine.status == Post.Status.DRAFT
    assert mine.published_at is None
    assert not mine.is_sticky


def test_a_contributor_may_not_approve_their_own_post(contributor_client):
    mine = PostFactory(draft=True, author=User.objects.get(username="cora"))
    review_submit(post=mine, by=mine.author)

    response = contributor_client.post(
        reverse("admin:blog_post_review", args=[mine.pk, "approve"]), {"at": ""}
    )

    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.review_state == "waiting"
    assert mine.status == Post.Status.DRAFT


@pytest.mark.parametrize("traits", [{"draft": False}, {"scheduled": True}])
def test_a_contributor_reads_but_cannot_change_their_post_once_approved(contributor_client, traits):
    mine = PostFactory(author=User.objects.get(username="cora"), title="Approved", **traits)
    url = reverse("admin:blog_post_change", args=[mine.pk])

    page = contributor_client.get(url)
    refused = contributor_client.post(url, {"title": "Changed after approval", "_save": "Save"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert refused.status_code == 403
    mine.refresh_from_db()
    assert mine.title == "Approved"


def test_moderators_see_posts_read_only(client, world):
    login_as(client, "moderator")
    url = reverse("admin:blog_post_change", args=[world.post.pk])

    page = client.get(url)
    refused = client.post(url, {"title": "Changed by a moderator", "_save": "Save"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert 'name="title"' not in page.text
    assert refused.status_code == 403
    world.post.refresh_from_db()
    assert world.post.title != "Changed by a moderator"


def test_editors_cannot_change_discussion_settings(client, world):
    login_as(client, "editor")

    response = client.post(
        reverse("admin:comments_discussionsettings_change", args=[1]), {"guests_allowed": ""}
    )

    assert response.status_code == 403


# --- Public actions ----------------------------------------------------------

PROFILE_SIGN_IN = "sign in to the site"

# fmt: off
PUBLIC_MATRIX = {
    #                      anonymous        member reader editor moderator superuser contributor
    "home":               (200,             200,   200,   200,   200,      200,      200),
    "post page":          (200,             200,   200,   200,   200,      200,      200),
    "post a comment":     (302,             403,   302,   302,   302,      302,      302),
    "own profile":        (PROFILE_SIGN_IN, 200,   200,   200,   200,      200,      200),
    "staff author page":  (200,             200,   200,   200,   200,      200,      200),
    "member author page": (404,             404,   404,   404,   404,      404,      404),
    "report a comment":   (403,             403,   302,   302,   302,      302,      302),
    "hide a comment":     (PROFILE_SIGN_IN, 403,   403,   403,   302,      302,      403),
}
# fmt: on


def comment_form() -> dict:
    return {
        "body": "A fair point, well made.",
        "name": "Jane Guest",
        "email": "jane.guest@example.org",
        "token": new_form_token(),
        "parent": "",
        "website": "",
    }


PUBLIC_ACTIONS = {
    "home": lambda c, w: c.get(reverse("blog:home")),
    "post page": lambda c, w: c.get(w.post.get_absolute_url()),
    "post a comment": lambda c, w: c.post(
        reverse("comments:post", args=[w.post.pk]), comment_form()
    ),
    "own profile": lambda c, w: c.get(reverse("accounts:profile")),
    "staff author page": lambda c, w: c.get(reverse("blog:author", args=[w.staff_author.username])),
    "member author page": lambda c, w: c.get(reverse("blog:author", args=[w.member.username])),
    "report a comment": lambda c, w: c.post(
        reverse("comments:report", args=[w.comment.pk]), {"guideline": w.guideline.pk}
    ),
    "hide a comment": lambda c, w: c.post(
        reverse("comments:moderate", args=[w.comment.pk]),
        {"action": "hide", "guideline": w.guideline.pk},
    ),
}


def test_the_public_matrix_covers_every_public_action():
    assert PUBLIC_MATRIX.keys() == PUBLIC_ACTIONS.keys()


@pytest.mark.parametrize(("action", "role", "expected"), expand(PUBLIC_MATRIX))
def test_public_action(client, world, action, role, expected):
    login_as(client, role)

    response = PUBLIC_ACTIONS[action](client, world)

    if expected == PROFILE_SIGN_IN:
        assert response.status_code == 302
        assert response.url.startswith(f"{reverse('accounts:login')}?next=")
    else:
        assert response.status_code == expected
    if action == "hide a comment":
        world.comment.refresh_from_db()
        hidden = world.comment.status == "hidden"
        assert hidden is (role in ("moderator", "superuser"))


def test_an_unconfirmed_member_is_told_why_they_cannot_comment(client, world):
    login_as(client, "member")

    response = PUBLIC_ACTIONS["post a comment"](client, world)

    assert response.status_code == 403
    assert "Please confirm your e-mail address to comment." in response.text
    assert not world.post.comments.exclude(pk=world.comment.pk).exists()
