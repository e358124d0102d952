"""Pages kept whole but for their personal parts: the "shell" of a page that is the same for
everyone who reaches it outside the full-page cache (members, above all), with holes where
each reader's own parts go.

A template marks a personal part with ``{% hole "template/name.html" %}`` (``core_holes``
tag library), which is an ``{% include %}`` everywhere but here. ``render_with_holes``
renders the page once with a marker in each hole, keeps the text between the markers in
the shared cache, and from then on serves the page by rendering only the holes for the
reader at hand and joining them with the kept text: the account menu with the reader's name
and CSRF token, the messages, the comment form. For a post page with a large discussion
that is a fraction of a full render.

A hole is rendered with the view's context and the context processors, never with what
the including template had in scope (``with`` values, loop variables): write it to need
nothing else.

What the kept text shows must be the same for everyone the caller serves from it; the
caller makes sure of that (a viewer with anything personal outside the holes is rendered
in full) and gives a key with every input of that text (see ``blog.views.post_detail``).
Kept for ``PAGE_CACHE_SECONDS`` at most, through ``core.cache``: a cache that does not
answer means a full render.
"""

import functools
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import Context, engines
from django.template.backends.django import Template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.cache import cache_get, cache_set


class LazyHTML:
    """HTML worked out only when a template shows it (at most once): a part a shell already
    holds costs nothing when the page is served from it."""

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make
        self._html: SafeString | None = None

    def __html__(self) -> SafeString:
        if self._html is None:
            self._html = mark_safe(self._make())  # noqa: S308 (rendered by our templates)
        return self._html

    def __str__(self) -> str:
        return self.__html__()


# Where the tag finds the recorder while a shell is being rendered.
RECORDER = "core_holes_recorder"


class HoleRecorder:
    """Collects the holes of one render and writes a marker, unique to that render, for
    each: nothing the page shows can be mistaken for one."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self.templates: list[str] = []

    def marker(self, index: int) -> str:
        return f"<!--hole-{self.nonce}-{index}-->"

    def mark(self, template_name: str) -> SafeString:
        self.templates.append(template_name)
        return mark_safe(self.marker(len(self.templates) - 1))  # noqa: S308 (our own text)


def recorder_in(context: Context) -> HoleRecorder | None:
    """The recorder of the shell being rendered, or None in an ordinary render."""
    recorder = context.get(RECORDER)
    return recorder if isinstance(recorder, HoleRecorder) else None


@dataclass(frozen=True)
class Shell:
    """A page with its holes taken out: ``texts`` (encoded, as sent) has one more item than
    ``holes``."""

    texts: tuple[bytes, ...]
    holes: tuple[str, ...]

    def filled(self, fill: dict[str, str]) -> bytes:
        parts = [self.texts[0]]
        for hole, text in zip(self.holes, self.texts[1:], strict=True):
            parts.append(fill[hole].encode())
            parts.append(text)
        return b"".join(parts)


def shell_from(html: str, recorder: HoleRecorder) -> Shell | None:
    """The shell of a page rendered with ``recorder``, or None if its markers are not all
    there exactly once and in order (a hole inside a block the page drops, for example)."""
    texts, rest = [], html
    for index in range(len(recorder.templates)):
        before, found, rest = rest.partition(recorder.marker(index))
        if not found:
            return None
        texts.append(before)
    texts.append(rest)
    if any(f"<!--hole-{recorder.nonce}-" in text for text in texts):
        return None
    return Shell(texts=tuple(text.encode() for text in texts), holes=tuple(recorder.templates))


def render_with_holes(
    request: HttpRequest, template_name: str, context: dict, *, key: str
) -> HttpResponse:
    """``template_name`` rendered for ``request``: its shell from the shared cache under
    ``key`` (or rendered and kept there), with its holes rendered for this request."""
    shell = cache_get(key)
    if not isinstance(shell, Shell):
        recorder = HoleRecorder()
        html = render_to_string(template_name, {**context, RECORDER: recorder}, request)
        shell = shell_from(html, recorder)
        if shell is None:
            return HttpResponse(render_to_string(template_name, context, request))
        cache_set(key, shell, settings.PAGE_CACHE_SECONDS)
    return HttpResponse(shell.filled(holes_rendered(request, shell.holes, context)))


# Between the holes of one render (``holes_rendered``); random, so no page can expect it.
_HOLE_SEPARATOR = f"<!--holes-{secrets.token_hex(8)}-->"


@functools.cache
def _holes_template(names: tuple[str, ...]) -> Template:
    source = _HOLE_SEPARATOR.join("{% include " + json.dumps(name) + " %}" for name in names)
    return engines["django"].from_string(source)


def holes_rendered(request: HttpRequest, names: tuple[str, ...], context: dict) -> dict[str, str]:
    """Each template of ``names`` rendered for ``request`` with ``context``, in one render
    of a template that includes them all between separators: the context processors run
    once for the lot instead of once per hole. A hole that happens to show the separator
    makes the split come out wrong, and then each is rendered on its own."""
    unique = tuple(dict.fromkeys(names))
    parts = _holes_template(unique).render(context, request).split(_HOLE_SEPARATOR)
    if len(parts) != len(unique):
        return {name: render_to_string(name, context, request) for name in unique}
    return dict(zip(unique, parts, strict=True))
