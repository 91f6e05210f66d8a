"""Real headless Chromium (Debian's, never a downloaded one) driven by Playwright, and axe-core checks."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0/2.1 A and AA rules: what Dutch government sites must meet (EN 301 549).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@contextmanager
def chromium() -> Iterator[Browser]:
    # Playwright runs an event loop in this thread; Django's ORM in the same test thread must still work.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; returns the violations (empty when clean)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
    ]


def log_in(page: Page, base_url: str, username: str) -> None:
    """Log a demo user in, and return only once the page after the login form has loaded: a click merely starts
    the navigation, and a test that goes on at once can read the old page or cancel the login."""
    page.goto(f"{base_url}/account/inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(settings.VERANTWOORD_DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/account/inloggen" not in url)


def new_context(browser: Browser) -> BrowserContext:
    """A context that may inject axe-core despite the site's CSP (the site itself allows no inline script)."""
    return browser.new_context(bypass_csp=True, locale="nl-NL")


class ConsoleWatcher:
    """Collects console errors (CSP violations show up there) while a page is used."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_message)

    def _on_message(self, message: Any) -> None:
        # A form answered with 400 (its errors shown) is logged by Chromium as a failed load: not a page error.
        if message.type == "error" and "status of 400" not in message.text:
            self.errors.append(message.text)


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server for browser tests. With SQLite in memory, Django hands its server threads the test's own
    database connection; two requests at once (htmx autosaves of two fields, say) would then run statements on
    one connection interleaved — "cannot open savepoint" or two log entries at one index. Production has a
    connection per thread and SQLite's write lock, so here requests that share a connection take turns."""

    def set_app(self, application: Callable[..., Iterable[bytes]]) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            with lock:
                result = application(environ, start_response)
                try:
                    # A streamed body may still read the database: read it whole inside the turn.
                    return [b"".join(result)]
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()

        super().set_app(one_at_a_time)
