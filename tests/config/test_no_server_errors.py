"""No address and no public form answers with a server error, whatever it is sent.

Property-based: Hypothesis writes strings into every URL parameter and every query
parameter of every route the resolver knows (so a new route is covered without touching
this file), and into the fields of the public forms. The strings mix values that name
real rows, strings shaped like what the route accepts (so they reach the view), the
naughty strings of ``tests/data/naughty-strings/blns.json``, NUL bytes, superscript and
other scripts' digits, huge numbers, very long strings and broken percent-encoding.

Each example runs in a savepoint that is rolled back, so every one starts from the same
rows, a database error cannot poison the next one, and "nothing half-stored" is checked
against a known state. The same tests run on SQLite and PostgreSQL (``make test`` and
``make test-postgres``); PostgreSQL is the stricter (it refuses NUL in text).
"""

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.tokens import verification_token_make
from blog.models import Post
from comments.forms import new_form_token
from comments.models import Comment, DiscussionSettings, Guideline, ModerationEvent, Report
from comments.notifications import Kind, unsubscribe_token
from comments.services import discussion_settings_save, post_comments_bump
from tests.factories import (
    DEFAULT_PASSWORD,
    CategoryFactory,
    CommentFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BLNS: list[str] = json.loads((ROOT / "tests/data/naughty-strings/blns.json").read_text())

# Bounded so the suite stays quick (each run draws new examples); raise them to search
# harder: TRIBUNE_FUZZ_EXAMPLES=500 make test PYTEST_ARGS=tests/config/test_no_server_errors.py
EXAMPLES = int(os.environ.get("TRIBUNE_FUZZ_EXAMPLES", "10"))
ADMIN_EXAMPLES = max(2, EXAMPLES // 10)  # the admin's pages are Django's, and many
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Strings that have broken web apps, by kind.
NUL_BYTES = ["\x00", "a\x00b", "\x00" * 3, "1\x00"]
CONTROL = ["", " ", "\t\r\n", "\x7f\x1b[0m", "\u202e", "\ufeff", "\u200b"]
# Digits str.isdigit() or int() take that are not 0-9, and numbers written oddly.
ODD_DIGITS = ["²", "①", "٢", "\uff11", "²³", "-1", "0", "+1", " 1", "1_0", "1e3", "NaN", "1.0"]
NUMBERS = ["2" * 19, "9" * 30, "9" * 5000, str(2**63), str(2**31), str(-(2**63) - 1), "0" * 30]
EDGES = ["0000", "0001", "9999", "00", "01", "12", "13", "31", "32", "99"]
ADDRESSES = ["..", "../../etc/passwd", "//evil.example", "https://evil.example/", "javascript:x"]
LONG = ["x" * 10_000, "é" * 3000, "😀" * 500, "a/" * 500]
INJECTION = ["<script>alert(1)</script>", "' OR 1=1 --", "%", "{{ 7*7 }}", "${7*7}"]

# Percent-encoding that does not decode cleanly, put into the address as it is.
PERCENT_JUNK = [
    "%00",
    "%",
    "%%",
    "%G1",
    "%ZZ",
    "%C2%B2",
    "%C0%AE%C0%AE",
    "%FF%FE",
    "%ED%A0%80",  # an encoded surrogate
    "%E2%82",
    "%2F%2F",
    "%25%30%30",
    "a%00b",
]


@dataclass(frozen=True)
class Raw:
    """A piece of an address sent exactly as written, not percent-encoded first."""

    text: str


def text_values() -> st.SearchStrategy:
    """Generated text (surrogate-free unicode, NUL included), the strings above, other
    scripts' digits, any integer, and the naughty strings. The kinds that have broken this
    site (NUL, odd digits, big numbers, calendar edges) come up twice as often."""
    odd_digits = st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=4)
    likely = [
        st.sampled_from(NUL_BYTES),
        st.sampled_from(ODD_DIGITS) | odd_digits,
        st.sampled_from(NUMBERS) | st.integers().map(str),
        st.sampled_from(EDGES),
    ]
    return st.one_of(
        *likely,
        *likely,
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=1000),
        *(st.sampled_from(kind) for kind in (CONTROL, ADDRESSES, LONG, INJECTION)),
        st.sampled_from(BLNS),
        st.sampled_from(PERCENT_JUNK).map(Raw),
    )


# --- The routes --------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A named part of an address and the regular expression its route accepts."""

    name: str
    regex: str


@dataclass(frozen=True)
class Route:
    parts: tuple[str | Param, ...]
    name: str

    @property
    def template(self) -> str:
        return "/" + "".join(p if isinstance(p, str) else f"<{p.name}>" for p in self.parts)

    @property
    def params(self) -> list[Param]:
        return [p for p in self.parts if isinstance(p, Param)]

    def build(self, values: dict[str, str | Raw]) -> str:
        pieces = []
        for part in self.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = values[part.name]
            pieces.append(value.text if isinstance(value, Raw) else quote(value, safe=""))
        return "/" + "".join(pieces)


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")
REGEX_SPECIAL = set(".^$*+?{}[]|()\\")


def _route_parts(pattern: RoutePattern) -> list[str | Param]:
    route, parts, last = str(pattern), [], 0
    for match in ROUTE_PARAMETER.finditer(route):
        parts.append(route[last : match.start()])
        converter = pattern.converters[match["name"]]
        parts.append(Param(match["name"], converter.regex))
        last = match.end()
    parts.append(route[last:])
    return [p for p in parts if p != ""]


def _regex_parts(pattern: RegexPattern) -> list[str | Param]:
    """Split a ``re_path`` pattern into its literal text and its named groups."""
    regex = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    parts, position = [], 0
    while position < len(regex):
        match = NAMED_GROUP.search(regex, position)
        end = match.start() if match else len(regex)
        literal = regex[position:end].replace("\\", "")
        assert not REGEX_SPECIAL & set(literal), f"teach this test to read {regex!r}"
        parts.append(literal)
        if match is None:
            break
        depth, cursor = 1, match.end()
        while depth:
            char = regex[cursor]
            if char == "\\":
                cursor += 1
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            cursor += 1
        parts.append(Param(match["name"], regex[match.end() : cursor - 1]))
        position = cursor
    return [p for p in parts if p != ""]


def _walk(patterns, prefix: tuple = ()) -> Iterator[Route]:
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            parts = _route_parts(pattern)
        else:
            parts = _regex_parts(pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, (*prefix, *parts))
        elif isinstance(entry, URLPattern):
            yield Route(parts=(*prefix, *parts), name=entry.name or "")


ALL_ROUTES = list(_walk(get_resolver().url_patterns))
PUBLIC_ROUTES = [r for r in ALL_ROUTES if not r.template.startswith("/admin/")]
ADMIN_ROUTES = [r for r in ALL_ROUTES if r.template.startswith("/admin/")]


def _our_sources() -> Iterator[Path]:
    for app in apps.get_app_configs():
        if Path(app.path).is_relative_to(ROOT):
            yield from Path(app.path).rglob("*.py")
    yield from (ROOT / "config").rglob("*.py")


def _query_parameter_names() -> list[str]:
    """Every query parameter our code reads (found in the source, so a new one is fuzzed
    too), and the one Django's sign-in view reads for us."""
    read = re.compile(r"""\.GET(?:\.get\(|\[)\s*["'](\w+)["']""")
    names = {"next"}
    for source in _our_sources():
        names.update(read.findall(source.read_text()))
    return sorted(names)


def _admin_query_parameter_names() -> list[str]:
    """The admin's own: search, order, page, the lookups its list filters make, and the
    autocomplete's."""
    names = {"q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters"}
    names |= {"term", "app_label", "model_name", "field_name"}
    for model_admin in admin.site._registry.values():
        for entry in model_admin.list_filter:
            if isinstance(entry, str):
                names |= {f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull"}
            elif isinstance(entry, type) and hasattr(entry, "parameter_name"):
                names.add(entry.parameter_name)
    return sorted(names)


QUERY_PARAMETERS = _query_parameter_names()
ADMIN_QUERY_PARAMETERS = sorted({*QUERY_PARAMETERS, *_admin_query_parameter_names()})


# --- What the addresses and forms can name --------------------------------------


@dataclass
class World:
    """Rows for generated addresses to find, and the values that name them."""

    values: dict[str, list[str]]
    post: Post
    comment: Comment
    member: User
    staff: User
    guideline: Guideline


def _world() -> World:
    author = UserFactory(username="jane", editor=True, display_name="Jane Doe")
    member = UserFactory(username="sam")
    unverified = UserFactory(username="new", unverified=True)
    staff = UserFactory(username="boss", is_staff=True, is_superuser=True)
    category = CategoryFactory(slug="news")
    tag = TagFactory(slug="rivers")
    post = PostFactory(author=author, slug="river-report", categories=[category], tags=[tag])
    root = CommentFactory(post=post, body="The first comment.")
    reply = CommentFactory(parent=root, member=True)
    CommentFactory(post=post, hidden=True)
    post_comments_bump(post.pk)
    guideline = Guideline.objects.create(number=1, title="Be kind", text="No insults.")
    discussion = DiscussionSettings.objects.get_or_create(pk=1)[0]
    discussion.guests_may_report = True  # so the guests' report form is tried too
    discussion_settings_save(settings=discussion)
    local = timezone.localtime(post.published_at)
    values = {
        "year": [f"{local:%Y}"],
        "month": [f"{local:%m}"],
        "day": [f"{local:%d}"],
        "slug": [post.slug],
        # Where a route's parameter names something else than the same name elsewhere.
        "category:slug": [category.slug],
        "category_feed:slug": [category.slug],
        "tag:slug": [tag.slug],
        "username": [author.username, member.username],
        "pk": [str(root.pk), str(reply.pk)],
        "post_id": [str(post.pk)],
        "token": [
            unsubscribe_token(kind=Kind.REPLIES, pk=root.pk),
            verification_token_make(user=unverified),
            default_token_generator.make_token(member),
            "set-password",
        ],
        "uidb64": [urlsafe_base64_encode(force_bytes(member.pk))],
        "object_id": [str(post.pk), str(root.pk), str(author.pk)],
        "page": ["1"],
        "cpage": ["1"],
        "order": ["newest", "oldest"],
        "replyto": [str(root.pk), str(reply.pk)],
        "q": ["river", "river -report", '"the first"'],
        "next": ["/", "/tag/rivers/", "https://evil.example/"],
    }
    return World(
        values=values, post=post, comment=root, member=member, staff=staff, guideline=guideline
    )


def _url_value(world: World, route: Route, param: Param, *, fuzzed: bool) -> st.SearchStrategy:
    # Left alone, a parameter names a real row, or failing that is shaped like what the
    # route accepts, so the view is reached and the rest of the address is what is tried.
    if fuzzed:
        return st.one_of(text_values(), st.from_regex(param.regex, fullmatch=True))
    real = world.values.get(f"{route.name}:{param.name}") or world.values.get(param.name)
    return st.sampled_from(real) if real else st.from_regex(param.regex, fullmatch=True)


def _clients(world: World) -> dict[str, Client]:
    member = Client()
    member.force_login(world.member)
    return {"anonymous": Client(), "member": member}


class _RolledBack(Exception):
    """Leaves the savepoint of one example, undoing what it stored."""


def _in_savepoint(check: Callable[[], None]) -> None:
    """Run ``check`` in a savepoint that is always rolled back, with an empty cache."""
    cache.clear()
    try:
        with transaction.atomic():
            check()
            raise _RolledBack
    except _RolledBack:
        pass


# --- Every address --------------------------------------------------------------


def _address(route: Route, world: World, data: st.DataObject) -> str:
    """An address for ``route``. Half the time it names real rows and only its query is
    fuzzed; otherwise one or two of its parameters are. One string of the example goes
    into many places at once, so a few examples try it everywhere."""
    shared = data.draw(text_values(), label="the string")
    names = [p.name for p in route.params]
    fuzzed = set()
    if names and data.draw(st.booleans(), label="fuzz the path"):
        fuzzed = data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=2))
    values = {}
    for param in route.params:
        value = _url_value(world, route, param, fuzzed=param.name in fuzzed)
        if param.name in fuzzed:
            value = st.one_of(st.just(shared), value)
        values[param.name] = data.draw(value, label=param.name)
    if route in ADMIN_ROUTES:
        asked = data.draw(st.sets(st.sampled_from(ADMIN_QUERY_PARAMETERS), max_size=4))
    else:
        asked = QUERY_PARAMETERS
    pairs, raw = [], []
    for name in sorted(asked):
        how = data.draw(st.sampled_from(["absent", "real", "shared", "own"]), label=name)
        if how == "absent":
            continue
        if how == "real" and world.values.get(name):
            value = data.draw(st.sampled_from(world.values[name]), label=name)
        else:
            value = shared if how == "shared" else data.draw(text_values(), label=name)
        if isinstance(value, Raw):
            raw.append(f"{name}={value.text}")
        else:
            pairs.append((name, value))
    query = "&".join(filter(None, [urlencode(pairs), *raw]))
    url = route.build(values)
    return f"{url}?{query}" if query else url


def _assert_no_server_error(client: Client, address: str) -> None:
    response = client.get(address)
    assert response.status_code < 500, f"{response.status_code} for {address!r}"


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=lambda r: r.template)
def test_no_address_answers_with_a_server_error(route):
    world = _world()
    clients = _clients(world)

    @FUZZ
    @given(who=st.sampled_from(sorted(clients)), data=st.data())
    def check(who, data):
        address = _address(route, world, data)
        _in_savepoint(lambda: _assert_no_server_error(clients[who], address))

    check()


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.template)
def test_no_admin_address_answers_with_a_server_error(route):
    world = _world()
    staff = Client()
    staff.force_login(world.staff)

    @settings(FUZZ, max_examples=ADMIN_EXAMPLES)
    @given(data=st.data())
    def check(data):
        address = _address(route, world, data)
        _in_savepoint(lambda: _assert_no_server_error(staff, address))

    check()


def test_the_walk_finds_every_kind_of_route_and_parameter():
    templates = {r.template for r in ALL_ROUTES}
    assert "/<year>/<month>/<day>/<slug>/" in templates
    assert "/<year>/<month>/<day>/<slug>/feed/" in templates
    assert "/author/<username>/" in templates
    assert "/comments/<pk>/report/" in templates
    assert "/accounts/password/reset/<uidb64>/<token>/" in templates
    assert {"cpage", "order", "replyto", "page", "q", "next"} <= set(QUERY_PARAMETERS)
    assert "status__exact" in ADMIN_QUERY_PARAMETERS


# --- The public forms --------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """What a form may store, counted."""

    comments: int
    reports: int
    users: int
    events: int

    @classmethod
    def now(cls) -> "Stored":
        return cls(
            comments=Comment.objects.count(),
            reports=Report.objects.count(),
            users=User.objects.count(),
            events=ModerationEvent.objects.count(),
        )


def _assert_consistent() -> None:
    """What the rows say however a request ended: every comment is in a thread, and each
    post's count is its number of published comments."""
    assert not Comment.objects.filter(thread__isnull=True).exists()
    for post in Post.objects.all():
        published = Comment.objects.filter(post=post, status=Comment.Status.PUBLISHED)
        assert post.comment_count == published.count(), post


@dataclass(frozen=True)
class PublicForm:
    """A form anyone can send: where, a valid filling, and what a success may store."""

    url: Callable[[World], str]
    valid: Callable[[World], dict[str, str]]
    # The most of each kind of row one successful send may add.
    may_add: dict[str, int]


PUBLIC_FORMS = {
    "comment": PublicForm(
        url=lambda w: reverse("comments:post", args=[w.post.pk]),
        valid=lambda w: {
            "body": "A fair point, well made.",
            "name": "Jane Doe",
            "email": "jane@example.org",
            "token": new_form_token(),
            "parent": str(w.comment.pk),
            "website": "",
            "notify_on_reply": "on",
            "remember": "on",
        },
        may_add={"comments": 1, "events": 1},
    ),
    "report": PublicForm(
        url=lambda w: reverse("comments:report", args=[w.comment.pk]),
        valid=lambda w: {
            "guideline": str(w.guideline.pk),
            "note": "Rude.",
            "email": "reader@example.org",
        },
        may_add={"reports": 1, "events": 1},
    ),
    "signup": PublicForm(
        url=lambda w: reverse("accounts:signup"),
        valid=lambda w: {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a long unusual passphrase 42",
            "password2": "a long unusual passphrase 42",
            "next": "/",
        },
        may_add={"users": 1},
    ),
    "signin": PublicForm(
        url=lambda w: reverse("accounts:login"),
        valid=lambda w: {"username": w.member.username, "password": DEFAULT_PASSWORD},
        may_add={},
    ),
    "password reset": PublicForm(
        url=lambda w: reverse("accounts:password_reset"),
        valid=lambda w: {"email": w.member.email},
        may_add={},
    ),
}


def _assert_form_stores_all_or_nothing(
    form: PublicForm, client: Client, world: World, data: st.DataObject
) -> None:
    fields = form.valid(world)
    fuzzed = data.draw(st.sets(st.sampled_from(sorted(fields)), min_size=1, max_size=3))
    for name in sorted(fuzzed):
        value = data.draw(st.one_of(text_values(), st.just(None)), label=name)
        if value is None:
            del fields[name]  # a field missing altogether
        else:
            fields[name] = value.text if isinstance(value, Raw) else value
    before = Stored.now()

    response = client.post(form.url(world), fields)

    assert response.status_code < 500, f"{response.status_code} for {fields!r}"
    after = Stored.now()
    added = {kind: getattr(after, kind) - getattr(before, kind) for kind in vars(before)}
    if response.status_code != 302:  # refused: the form is shown again, or a notice
        assert not any(added.values()), (added, fields)
    else:
        for kind, count in added.items():
            assert 0 <= count <= form.may_add.get(kind, 0), (kind, count, fields)
    _assert_consistent()


@pytest.mark.parametrize("name", sorted(PUBLIC_FORMS))
def test_no_public_form_answers_with_a_server_error_or_stores_half(name, settings):
    settings.COMMENT_FORM_MIN_SECONDS = 0  # the forms are sent at machine speed
    world = _world()
    clients = _clients(world)
    form = PUBLIC_FORMS[name]

    @FUZZ
    @given(who=st.sampled_from(sorted(clients)), data=st.data())
    def check(who, data):
        _in_savepoint(lambda: _assert_form_stores_all_or_nothing(form, clients[who], world, data))

    check()


def test_the_valid_fillings_succeed(settings):
    # Guards the fuzzing above: untouched, each form goes through, so a change that made
    # every send fail early would not pass for "no 500".
    settings.COMMENT_FORM_MIN_SECONDS = 0
    world = _world()
    for name, form in PUBLIC_FORMS.items():
        response = Client().post(form.url(world), form.valid(world))
        assert response.status_code == 302, name
