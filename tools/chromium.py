"""How the tools and the browser tests start Chromium: the one list of its flags.

Headless Chromium as root in a container (no sandbox), without a GPU, and without the
background traffic of a desktop browser (component updates, sync, first-run pages), which
would only add noise to page timings and to what a test sees on the network.
``tools/screenshots.py`` and ``tests/e2e/conftest.py`` hand them to Playwright;
``tools/lighthouse.py`` to Lighthouse's own launcher (``lighthouse_chrome_flags``).
"""

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def lighthouse_chrome_flags() -> str:
    """The flags as Lighthouse's ``--chrome-flags`` takes them: one string, in Chromium's
    new headless mode (Playwright chooses its own headless mode)."""
    return " ".join(("--headless=new", *CHROMIUM_ARGS))
