"""The committed Bootstrap build (assets/README.md) has every rule the site's files need.

``make css-check`` (npm) proves the file equals a fresh build; this runs in ``make test``
with Python alone, so a template, script or Python file that starts using a Bootstrap
class fails here until ``make css`` is run and its output committed. It reads the same
files and the same run-time classes (assets/purge.json) as the build, splits them into
words as PurgeCSS does, and checks each Bootstrap selector whose classes all appear
(assets/bootstrap-selectors.txt, written by the build) against the built stylesheet.
"""

import json
import re
from pathlib import Path

import crispy_bootstrap5

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
BUILT = ROOT / "static" / "vendor" / "bootstrap" / "tribune-bootstrap.css"
WORD = re.compile(r"[A-Za-z0-9_-]+")  # PurgeCSS's default extractor
CLASS = re.compile(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)")


def _words() -> set[str]:
    purge = json.loads((ASSETS / "purge.json").read_text())
    files = [path for glob in purge["content"] for path in ROOT.glob(glob)]
    files += Path(crispy_bootstrap5.__file__).parent.glob(purge["crispy_content"])
    return {word for path in files for word in WORD.findall(path.read_text())}


def _safelisted(name: str) -> bool:
    purge = json.loads((ASSETS / "purge.json").read_text())
    return any(re.search(pattern, name) for pattern in purge["safelist"])


def _needed_classes(words: set[str]) -> set[str]:
    needed = set()
    for line in (ASSETS / "bootstrap-selectors.txt").read_text().splitlines():
        if line.startswith("#"):
            continue
        classes = line.split()
        if all(name in words or _safelisted(name) for name in classes):
            needed.update(classes)
    return needed


def test_every_bootstrap_class_the_site_uses_is_in_the_built_stylesheet():
    built = set(CLASS.findall(BUILT.read_text()))

    missing = _needed_classes(_words()) - built

    assert not missing, (
        f"These Bootstrap classes are used but not in {BUILT.relative_to(ROOT)}: "
        f"{', '.join(sorted(missing))}. Run make css and commit what it writes."
    )


def test_the_check_notices_a_class_the_site_starts_using():
    words = _words()
    assert "text-bg-danger" not in words

    needed = _needed_classes(words | {"text-bg-danger"})

    assert "text-bg-danger" in needed
    assert "text-bg-danger" not in set(CLASS.findall(BUILT.read_text()))


def test_the_build_keeps_bootstraps_licence_and_banner_and_the_dark_colours():
    css = BUILT.read_text()

    assert (BUILT.parent / "LICENSE").read_text().startswith("The MIT License")
    assert "Bootstrap  v5.3" in css.split(":root", 1)[0]
    assert "@media(prefers-color-scheme: dark){:root{color-scheme:dark;" in css
    assert "data-bs-theme" not in css  # dark colours follow the system, not an attribute
