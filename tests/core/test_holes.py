"""Page shells (core.holes): the text between the holes is kept only when every hole was
found once and in order, and a hole's marker can never be forged by what a page shows."""

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.holes import (
    _HOLE_SEPARATOR,
    RECORDER,
    HoleRecorder,
    LazyHTML,
    Shell,
    holes_rendered,
    shell_from,
)


def recorded(source: str, **context) -> tuple[str, HoleRecorder]:
    recorder = HoleRecorder()
    html = Template("{% load core_holes %}" + source).render(
        Context({**context, RECORDER: recorder})
    )
    return html, recorder


def test_a_shell_is_the_page_split_at_its_holes():
    html, recorder = recorded(
        'A{% hole "includes/messages.html" %}B{% hole "includes/account_nav.html" %}C'
    )
    shell = shell_from(html, recorder)
    assert shell == Shell(
        texts=(b"A", b"B", b"C"), holes=("includes/messages.html", "includes/account_nav.html")
    )
    filled = shell.filled({"includes/messages.html": "1", "includes/account_nav.html": "2"})
    assert filled == b"A1B2C"


def test_without_a_recorder_a_hole_is_an_include():
    html = Template('{% load core_holes %}<p>{% hole "includes/messages.html" %}</p>').render(
        Context({"messages": ["Saved."]})
    )
    assert "Saved." in html


def test_a_page_that_lost_a_hole_has_no_shell():
    html, recorder = recorded(
        '{% if show %}{% hole "includes/messages.html" %}{% endif %}'
        '{% hole "includes/account_nav.html" %}',
        show=True,
    )
    assert shell_from(html.replace(recorder.marker(0), ""), recorder) is None


def test_text_that_looks_like_a_marker_spoils_the_shell_rather_than_filling_it():
    recorder = HoleRecorder()
    recorder.mark("includes/messages.html")
    forged = f"{recorder.marker(0)} and again {recorder.marker(0)}"
    assert shell_from(forged, recorder) is None


def test_every_render_has_markers_of_its_own():
    assert HoleRecorder().marker(0) != HoleRecorder().marker(0)


def test_lazy_html_is_made_once_and_only_when_shown():
    made = []
    lazy = LazyHTML(lambda: made.append(1) or "<b>x</b>")
    assert made == []
    assert Template("{{ html }}{{ html }}").render(Context({"html": lazy})) == "<b>x</b><b>x</b>"
    assert made == [1]


def test_holes_rendered_together_match_each_rendered_on_its_own(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    names = ("includes/messages.html", "includes/account_nav.html", "includes/messages.html")
    context = {"messages": ["Saved."]}
    together = holes_rendered(request, names, context)
    assert set(together) == {"includes/messages.html", "includes/account_nav.html"}
    for name, html in together.items():
        assert html == render_to_string(name, context, request)
    assert "Saved." in together["includes/messages.html"]
    assert "Sign in" in together["includes/account_nav.html"]


def test_a_hole_showing_the_separator_is_still_filled_with_its_own_text(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    names = ("includes/messages.html", "includes/account_nav.html")
    # Escaping keeps what people type from showing it; a hole's own markup might.
    context = {"messages": [mark_safe(f"a {_HOLE_SEPARATOR} b")]}  # noqa: S308
    together = holes_rendered(request, names, context)
    assert together["includes/messages.html"] == render_to_string(names[0], context, request)
    assert _HOLE_SEPARATOR in together["includes/messages.html"]
    assert together["includes/account_nav.html"] == render_to_string(names[1], context, request)
