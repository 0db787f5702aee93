"""The dashboard in a real browser: Debian's chromium driven by Playwright against
``dyad serve`` on 127.0.0.1 over the sample corpus (plus one article holding markup).

Skips with a clear message where chromium is not installed (``apt-get install chromium``;
Playwright never downloads a browser here). Screenshots go to ``screenshots/`` (git-ignored;
``DYAD_SCREENSHOTS`` moves them)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("DYAD_SCREENSHOTS", ROOT / "screenshots"))
HOSTILE = {
    "id": "markup-test",
    "published": "2024-06-03",
    "title": "<script>alert('title')</script> Talks",
    "text": "LUBLIN, June 3 - Poland's foreign minister met Ukraine's foreign minister in "
    "Lublin on Monday <script>alert('x')</script> to discuss grain exports.",
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium "
        "(apt-get install -y chromium); the browser test needs it",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _dyad(*args: str) -> list[str]:
    return [sys.executable, "-m", "dyad", *args]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``dyad serve`` over the ingested sample corpus; yields its base URL."""
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "samples.duckdb"
    extra = tmp / "markup.jsonl"
    extra.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("DYAD_TOKEN", None)
    subprocess.run(
        _dyad("ingest", str(ROOT / "samples"), str(extra), "--db", str(db)),
        check=True,
        env=env,
        capture_output=True,
    )
    port = _free_port()
    proc = subprocess.Popen(
        _dyad("serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)),
        env=env,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(base + "/stats.json", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("dyad serve did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


class Watched:
    """A page that records console errors, script errors and dialogs."""

    def __init__(self, browser: object) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_click_through_overview_dyad_event_article(server: str, browser: object) -> None:
    w = Watched(browser)
    page = w.page
    page.goto(server + "/")
    assert page.locator("svg.chart rect.bar").count() > 0, "no bars in the events-per-day chart"
    assert page.locator("svg.map circle.place").count() > 0, "no markers on the map"
    assert page.locator("table.dyads tbody tr[data-id]").count() > 0
    w.shot("overview")

    page.locator("table.dyads a.dyad-link").first.click()
    page.wait_for_url("**/dyads/*/*")
    assert page.locator("svg.chart rect.bar").count() > 0
    assert page.locator("svg.chart circle.goldstein-dot").count() > 0, "no Goldstein points"
    assert page.locator("svg.chart polyline.goldstein").count() == 1
    w.shot("dyad")

    page.locator("table.events a.event-link").first.click()
    page.wait_for_url("**/events/*")
    assert page.locator("div.mention").count() > 0
    assert page.locator("div.mention mark.trigger").count() > 0
    w.shot("event")

    page.locator("a.article-link").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article-text mark.evidence").count() > 0
    w.shot("article")
    assert w.errors == []


def test_filter_form_is_a_bookmarkable_get(server: str, browser: object) -> None:
    w = Watched(browser)
    page = w.page
    page.goto(server + "/events")
    page.fill("input[name=actor]", "Brazil")
    page.select_option("select[name=status]", "asserted")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/events?*")
    assert "actor=Brazil" in page.url and "status=asserted" in page.url
    rows = page.locator("table.events tbody tr[data-id]").count()
    assert rows > 0
    with urllib.request.urlopen(server + "/events.json?" + page.url.split("?", 1)[1]) as r:
        assert len(json.load(r)["items"]) == rows
    w.shot("events-filtered")
    assert w.errors == []


@pytest.mark.parametrize(
    "path",
    ["/events", "/dyads", "/actors/BRA", "/actors/Lavrov", "/docs", "/articles/markup-test",
     "/events?since=not-a-date", "/no-such-page"],
)  # fmt: skip
def test_every_page_loads_without_console_errors(server: str, browser: object, path: str) -> None:
    w = Watched(browser)
    response = w.page.goto(server + path)
    assert response is not None
    expected = 400 if "not-a-date" in path else 404 if "no-such" in path else 200
    assert response.status == expected
    assert w.page.locator("header a.brand").count() == 1  # the stylesheet-backed layout
    if path == "/articles/markup-test":
        assert "<script>alert('x')</script>" in w.page.inner_text(".article-text")
    w.shot(path.strip("/").replace("/", "_").replace("?", "_") or "index")
    # a 4xx page logs one "Failed to load resource" for itself; anything else is an error
    errors = [e for e in w.errors if not (expected != 200 and "status of" in e)]
    assert errors == []
