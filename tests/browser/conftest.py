"""Headless Chromium for the browser tests: always the system's Chromium,
never a downloaded one, and no request leaves the test server."""

import os
from contextlib import ExitStack
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

# Playwright's sync API runs an asyncio event loop in this thread; Django would
# otherwise refuse database access from it (the test's own set-up and tear-down).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


class ChromiumLauncher:
    """``require()`` fails the test (never skips it) when the system Chromium is
    missing; calling the launcher starts it headless and returns the browser."""

    def __init__(self, stack):
        self._stack = stack

    def require(self):
        if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
            pytest.fail(
                f"The browser tests need the system Chromium at {CHROMIUM}, which is missing. "
                "Install it with: apt-get install chromium fonts-noto-cjk",
                pytrace=False,
            )

    def __call__(self):
        from playwright.sync_api import sync_playwright

        self.require()
        playwright = self._stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        self._stack.callback(browser.close)
        return browser


@pytest.fixture
def chromium():
    """Launch it inside the test, after any database set-up: database work done
    while Playwright's event loop runs can leave a connection open."""
    with ExitStack() as stack:
        yield ChromiumLauncher(stack)


@pytest.fixture
def results_dir():
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS


@pytest.fixture
def media_cleanup(settings):
    """Pictures the test draws land in the real media folder (the live server
    serves them from there); afterwards remove the new files this test's
    database knows about, and nothing else. Request it before ``chromium`` so
    that the browser has stopped when this runs."""
    from wagtail.images.models import Image, Rendition

    root = Path(settings.MEDIA_ROOT)
    existing = {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    yield root
    names = [*Image.objects.values_list("file", flat=True), *Rendition.objects.values_list("file", flat=True)]
    for name in names:
        path = root / name
        if path not in existing and path.is_file():
            path.unlink()
