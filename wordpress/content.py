"""WordPress post content made into the HTML Tribune stores.

WordPress keeps a post body as it was typed: block editor markup with its ``<!-- wp:… -->``
comments, or "classic" text whose paragraphs are blank lines (``wpautop`` adds the ``<p>``
when the page is shown), with shortcodes such as ``[caption]`` expanded on the fly.
Tribune stores finished, sanitised HTML, so all of that happens once, here:

1. ``<pre>`` blocks are set aside, untouched, until the end (code keeps its brackets and
   line breaks); so are figures before ``wpautop``.
2. Block comments, ``<!--more-->`` and ``<!--nextpage-->`` go; the HTML between them stays.
3. Shortcodes (``SHORTCODE_RE``): ``[caption]`` becomes a ``<figure>`` with its
   ``<figcaption>``; ``[embed]``, ``[audio]``, ``[video]`` and ``[playlist]`` a plain link
   to what they pointed at; ``[gallery]`` goes (its pictures are attachments the importer
   brings in on their own); any other shortcode loses its brackets and keeps its inner
   text. ``[[name]]`` is WordPress's way of writing a literal ``[name]``.
4. An ``<iframe>`` (a video player) and a line holding only an address (WordPress's
   auto-embed) become plain links: Tribune embeds nothing from other sites.
5. Classic content (no blocks) gets ``wpautop``'s paragraphs: a blank line ends a
   paragraph, a single line break is a ``<br>``, block elements are never wrapped.
6. ``image_src`` gives each ``<img>`` its new address (see ``wordpress_html``).
7. A few elements the sanitiser would drop are said with ones it keeps
   (``RENAMED_TAGS``: the body's ``<h1>`` becomes ``<h2>``, the page's title being the
   only ``<h1>``).
8. ``blog.sanitize.sanitize_post_html``, the same allow-list as every post body: script,
   style, event handlers and ``javascript:`` addresses never survive.
"""

import html
import re
from collections.abc import Callable

import nh3

from blog.sanitize import sanitize_post_html

ImageSource = Callable[[str], str | None]

# What a post excerpt may hold (blog.Post.excerpt).
EXCERPT_MAX_LENGTH = 500

_PRE_RE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.IGNORECASE | re.DOTALL)
_FIGURE_RE = re.compile(r"<figure\b[^>]*>.*?</figure>", re.IGNORECASE | re.DOTALL)
_BLOCK_COMMENT_RE = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_MORE_RE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)
# [name attrs], [name attrs /], [name attrs]inner[/name]; [[...]] is an escaped one.
# Attribute values may hold "]" inside quotes.
_ATTRS = r"""(?P<attrs>(?:[^\]"']|"[^"]*"|'[^']*')*?)"""
SHORTCODE_RE = re.compile(
    rf"(?P<open>\[?)\[(?P<name>[a-z][a-z0-9_-]*)(?![a-z0-9_-]){_ATTRS}(?P<selfclose>/)?\]"
    r"(?:(?P<inner>.*?)\[/(?P=name)\])?(?P<close>\]?)",
    re.DOTALL,
)
_ATTR_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|"([^"]*)"|(\S+)""")
_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC_RE = re.compile(r"""(?<![\w-])src\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_LINKED_IMG_RE = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>", re.IGNORECASE | re.DOTALL)
_IFRAME_RE = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.IGNORECASE | re.DOTALL)
_URL_LINE_RE = re.compile(r"^([ \t]*)(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)

# Shortcodes WordPress itself defines: they go even without attributes or a closing tag.
# An unknown bare "[word]" stays (it is more likely "[sic]" than a plugin's shortcode).
CORE_SHORTCODES = frozenset({"audio", "caption", "embed", "gallery", "playlist", "video"})
# Shortcodes that point at something to watch or hear: a link to it is kept.
MEDIA_SHORTCODES = frozenset({"audio", "embed", "playlist", "video"})

# The elements wpautop never wraps in a paragraph.
BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|iframe|legend|li|main|map|math|"
    "menu|nav|object|ol|p|pre|script|section|style|summary|table|tbody|td|tfoot|th|thead|"
    "tr|ul"
)


def wordpress_html(raw: str, *, image_src: ImageSource | None = None) -> str:
    """WordPress ``post_content`` as the sanitised HTML Tribune stores (see the module).

    ``image_src(old_url)`` returns the address of the picture imported for ``old_url``, or
    None, and then the ``<img>`` is removed (with a figure left holding only its caption):
    a body keeps no picture Tribune does not have. Without ``image_src`` every picture is
    left to the sanitiser, which keeps only addresses in Tribune's own uploads; any other
    ``<img>`` is removed too, never hotlinked.
    """
    text = raw.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    is_classic = "<!-- wp:" not in text
    kept: list[str] = []
    text = _set_aside(_PRE_RE, text, kept)
    text = _MORE_RE.sub("\n\n", _BLOCK_COMMENT_RE.sub("", text))
    text = SHORTCODE_RE.sub(_expand_shortcode, text)
    text = _IFRAME_RE.sub(_iframe_link, text)
    text = _URL_LINE_RE.sub(_url_line_link, text)
    if is_classic:
        # A figure's picture and caption are not paragraphs.
        text = autop(_set_aside(_FIGURE_RE, text, kept))
    text = _rename_tags(re.sub(r"\n\s*\n", "\n", text))
    # A figure set aside may hold a <pre> set aside before it: _put_back sees to it.
    text = _put_back(text, kept)
    if image_src is not None:
        text = _IMG_RE.sub(lambda match: _new_img(match.group(0), image_src), text)
    return _drop_empty(sanitize_post_html(text))


def wordpress_excerpt(raw: str) -> str:
    """Plain text for ``blog.Post.excerpt``: the text of ``raw`` (an excerpt, or a body, of
    which the part before ``<!--more-->`` is taken) without tags, shortcodes or entities,
    in single spaces, at most ``EXCERPT_MAX_LENGTH`` characters (cut at a word, with "…")."""
    text = raw.replace("\x00", "")
    text = re.split(r"<!--\s*more\b", text, maxsplit=1)[0]
    text = SHORTCODE_RE.sub(_shortcode_text, _BLOCK_COMMENT_RE.sub(" ", text))
    # nh3 drops scripts and styles with their text, which strip_tags would leave.
    text = " ".join(html.unescape(nh3.clean(text, tags=set())).split())
    if len(text) <= EXCERPT_MAX_LENGTH:
        return text
    cut = text[: EXCERPT_MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


# --- Setting aside <pre> and figures -----------------------------------------------------


def _set_aside(pattern: re.Pattern, text: str, kept: list[str]) -> str:
    """``text`` with each match of ``pattern`` kept in ``kept`` and an empty block element
    in its place, which nothing after touches until ``_put_back``."""

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f'<pre data-kept="{len(kept) - 1}"></pre>'

    return pattern.sub(keep, text)


def _put_back(text: str, kept: list[str]) -> str:
    placeholder = re.compile(r'<pre data-kept="(\d+)"></pre>')
    while placeholder.search(text):
        text = placeholder.sub(lambda match: kept[int(match.group(1))], text)
    return text


# --- Shortcodes --------------------------------------------------------------------------


def shortcode_attributes(attrs: str) -> tuple[dict[str, str], list[str]]:
    """(named, positional) attributes of a shortcode, as WordPress's shortcode_parse_atts."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _ATTR_RE.finditer(attrs):
        key, double, single, bare, quoted, word = match.groups()
        if key:
            named[key.lower()] = next(v for v in (double, single, bare) if v is not None)
        else:
            positional.append(quoted if quoted is not None else word.rstrip("/"))
    return named, positional


def _is_shortcode(match: re.Match) -> bool:
    """Whether a bracketed word is a shortcode (see ``CORE_SHORTCODES``)."""
    return (
        match.group("name") in CORE_SHORTCODES
        or match.group("inner") is not None
        or bool(match.group("selfclose"))
        or "=" in match.group("attrs")
    )


def _expand_shortcode(match: re.Match) -> str:
    if match.group("open") and match.group("close"):
        return match.group(0)[1:-1]  # [[name]] is the literal text [name]
    if not _is_shortcode(match):
        return match.group(0)
    name, inner = match.group("name"), match.group("inner") or ""
    named, positional = shortcode_attributes(match.group("attrs"))
    inner = SHORTCODE_RE.sub(_expand_shortcode, inner)
    if name in ("caption", "wp_caption"):
        body = _caption_figure(inner, named.get("caption", ""))
    elif name == "gallery":
        body = ""
    elif name in MEDIA_SHORTCODES:
        body = _media_link(named, positional, inner)
    else:
        body = inner
    return match.group("open") + body + match.group("close")


def _caption_figure(inner: str, caption_attribute: str) -> str:
    """``[caption]<a><img></a> Text[/caption]`` as ``<figure><img><figcaption>``."""
    inner = _LINKED_IMG_RE.sub(r"\1", inner.strip())
    image = _IMG_RE.search(inner)
    if image is None:
        return inner
    caption = (inner[: image.start()] + inner[image.end() :]).strip() or caption_attribute
    figcaption = f"<figcaption>{caption.strip()}</figcaption>" if caption.strip() else ""
    return f"\n\n<figure>{image.group(0)}{figcaption}</figure>\n\n"


def _media_link(named: dict[str, str], positional: list[str], inner: str) -> str:
    """A plain link to what an embed, audio or video shortcode shows, or nothing."""
    candidates = [
        inner.strip(),
        named.get("src", ""),
        named.get("url", ""),
        *(named.get(kind, "") for kind in ("mp3", "m4a", "ogg", "wav", "mp4", "webm")),
        *positional,
    ]
    for candidate in candidates:
        address = html.unescape(candidate.strip())
        if re.fullmatch(r"https?://[^\s<>\"']+", address):
            return f"\n\n{_link(address)}\n\n"
    return ""


def _shortcode_text(match: re.Match) -> str:
    """A shortcode in plain text: its inner text, or nothing."""
    if match.group("open") and match.group("close"):
        return match.group(0)[1:-1]
    if not _is_shortcode(match):
        return match.group(0)
    return " " + SHORTCODE_RE.sub(_shortcode_text, match.group("inner") or "") + " "


# --- Elements the sanitiser does not keep, said with the ones it does --------------------

# The page's title is its only <h1>; a definition list is a term in bold and its paragraph.
RENAMED_TAGS = {
    "h1": ("<h2>", "</h2>"),
    "address": ("<p>", "</p>"),
    "del": ("<s>", "</s>"),
    "dt": ("<p><strong>", "</strong></p>"),
    "dd": ("<p>", "</p>"),
}
_RENAMED_RE = re.compile(rf"<(/?)({'|'.join(RENAMED_TAGS)})\b[^>]*>", re.IGNORECASE)


def _rename_tags(text: str) -> str:
    def rename(match: re.Match) -> str:
        opening, closing = RENAMED_TAGS[match.group(2).lower()]
        return closing if match.group(1) else opening

    return _RENAMED_RE.sub(rename, text)


# --- Embeds and pictures -----------------------------------------------------------------


def _link(address: str) -> str:
    shown = html.escape(address)
    return f'<a href="{shown}">{shown}</a>'


def _iframe_link(match: re.Match) -> str:
    src = _SRC_RE.search(match.group(1))
    address = html.unescape(next((g for g in src.groups() if g is not None), "")) if src else ""
    if not re.fullmatch(r"https?://[^\s<>\"']+", address):
        return ""
    return f"\n\n<p>{_link(address)}</p>\n\n"


def _url_line_link(match: re.Match) -> str:
    return match.group(1) + _link(html.unescape(match.group(2)))


def _new_img(tag: str, image_src: ImageSource) -> str:
    """``tag`` with the new address ``image_src`` gives, or "" when it gives none."""
    src = _SRC_RE.search(tag)
    old = html.unescape(next((g for g in src.groups() if g is not None), "")) if src else ""
    new = image_src(old) if old else None
    if not new:
        return ""
    return tag[: src.start()] + f'src="{html.escape(new)}"' + tag[src.end() :]


def _drop_empty(sanitised: str) -> str:
    """What the sanitiser left empty: pictures without an address, figures with nothing
    but a caption, paragraphs with nothing in them."""
    text = re.sub(r"<img(?![^>]*\bsrc=)[^>]*>", "", sanitised)
    text = re.sub(r"<p>(?:\s|<br>)*</p>", "", text)
    text = re.sub(r"<figure>\s*(?:<figcaption>.*?</figcaption>)?\s*</figure>", "", text,
                  flags=re.DOTALL)  # fmt: skip
    # Blank lines left where elements went, outside <pre> (whose lines are its content).
    parts = re.split(r"(<pre>.*?</pre>)", text, flags=re.DOTALL)
    parts[::2] = [re.sub(r"\n\s*\n", "\n", part) for part in parts[::2]]
    return "".join(parts).strip()


# --- wpautop -----------------------------------------------------------------------------

_OPEN_BLOCK_RE = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_CLOSE_BLOCK_RE = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_ANY_BLOCK_TAG = rf"</?(?:{BLOCK_TAGS})(?:[\s/][^>]*)?>"


def autop(text: str) -> str:
    """WordPress's ``wpautop`` in short: paragraphs from blank lines, ``<br>`` from single
    line breaks, block elements left unwrapped. ``<pre>`` must have been set aside."""
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text + "\n")
    text = _OPEN_BLOCK_RE.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK_RE.sub(r"\1\n\n", text)
    text = re.sub(r"\n\s*\n", "\n\n", text)
    chunks = [chunk.strip() for chunk in re.split(r"\n\n+", text)]
    text = "".join(f"<p>{chunk}</p>\n" for chunk in chunks if chunk)
    # A paragraph around a block element alone, or opening or closing one, is unwrapped.
    text = re.sub(rf"<p>\s*({_ANY_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"<p>\s*({_ANY_BLOCK_TAG})", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"({_ANY_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    # Single line breaks inside a paragraph or a block become <br>, but not next to a tag
    # of a block element (a list's items, a table's cells).
    text = re.sub(r"(?<!<br>)\s*\n(?!$)", "<br>\n", text)
    text = re.sub(rf"({_ANY_BLOCK_TAG})\s*<br>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"<br>(\s*{_ANY_BLOCK_TAG})", r"\1", text, flags=re.IGNORECASE)
    return text
