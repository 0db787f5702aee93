"""RSS/Atom feeds, URLs and their errors, served from a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from dyad.errors import InputError
from dyad.feeds import fetch, read_feed, read_url
from dyad.model import Article
from dyad.read import iter_inputs

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Harbour Gazette</title><link>https://gazette.example/</link>
  <description>News</description>
  <item>
    <title>Ministers agree to reopen the border crossing</title>
    <link>https://gazette.example/2024/05/border</link>
    <guid>gazette-1001</guid>
    <pubDate>Tue, 14 May 2024 09:30:00 GMT</pubDate>
    <description>&lt;p&gt;Greece and Turkey signed an agreement on Tuesday to reopen the
      crossing.&lt;/p&gt;&lt;p&gt;Trucks will pass from &lt;b&gt;Monday&lt;/b&gt;.&lt;/p&gt;
    </description>
  </item>
  <item>
    <title>Only a title</title>
    <link>https://gazette.example/2024/05/empty</link>
  </item>
</channel></rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Plain Wire</title><id>urn:wire</id><updated>2024-06-02T10:00:00Z</updated>
  <entry>
    <title>Talks resume in Geneva</title>
    <id>urn:wire:7</id>
    <link href="https://wire.example/talks"/>
    <updated>2024-06-02T10:00:00Z</updated>
    <content type="text">Negotiators met again in Geneva on Sunday after a month.</content>
  </entry>
</feed>
"""


def test_rss_items_become_articles() -> None:
    first, second = list(read_feed(RSS, "feed.rss"))
    assert isinstance(first, Article)
    assert first.id == "gazette-1001"
    assert first.url == "https://gazette.example/2024/05/border"
    assert first.title == "Ministers agree to reopen the border crossing"
    assert first.published == date(2024, 5, 14)
    assert first.source == "Harbour Gazette"
    assert first.text.startswith("Ministers agree to reopen the border crossing\n\n")
    assert "an agreement on Tuesday to reopen the crossing." in first.text
    assert "Trucks will pass from Monday." in first.text and "<b>" not in first.text
    assert isinstance(second, InputError) and second.origin == "feed.rss#2"
    assert "no content or summary" in second.reason


def test_atom_entry_and_default_date() -> None:
    [art] = list(read_feed(ATOM, "wire.atom", published=date(2020, 1, 1)))
    assert isinstance(art, Article)
    assert (art.id, art.url, art.published) == (
        "urn:wire:7",
        "https://wire.example/talks",
        date(2024, 6, 2),
    )
    assert art.text.endswith("after a month.")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"just some words, not xml", "not an RSS or Atom feed"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            "the feed has no items",
        ),
    ],
)
def test_bad_feeds(data: bytes, reason: str) -> None:
    [err] = list(read_feed(data, "f.xml"))
    assert isinstance(err, InputError) and err.reason.startswith(reason)


def test_feed_file_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_bytes(RSS)
    (tmp_path / "b.atom").write_bytes(ATOM)
    items = list(iter_inputs([str(tmp_path)]))
    assert [i.id for i in items if isinstance(i, Article)] == ["gazette-1001", "urn:wire:7"]


def test_feed_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(RSS, content_type="application/rss+xml")
    url = httpserver.url_for("/feed")
    assert url.startswith("http://localhost") or url.startswith("http://127.0.0.1")
    items = list(iter_inputs([url]))
    assert (
        isinstance(items[0], Article) and items[0].url == "https://gazette.example/2024/05/border"
    )
    assert items[0].origin == f"{url}#1"


def test_page_url_after_a_redirect(httpserver: HTTPServer) -> None:
    page = (SAMPLES / "web-page.html").read_bytes()
    httpserver.expect_request("/story").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/story")}
    )
    [art] = list(read_url(httpserver.url_for("/old")))
    assert isinstance(art, Article)
    assert art.url == httpserver.url_for("/story") and art.published == date(2024, 8, 13)


def test_user_agent_names_dyad(httpserver: HTTPServer) -> None:
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("User-Agent", ""))
        return Response("The minister resigned on Friday after the vote.", mimetype="text/plain")

    httpserver.expect_request("/t").respond_with_handler(handler)
    [art] = list(read_url(httpserver.url_for("/t")))
    assert isinstance(art, Article) and art.text.startswith("The minister resigned")
    assert seen and seen[0].startswith("dyad/")


def test_http_error_names_the_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    url = httpserver.url_for("/gone")
    [err] = list(read_url(url))
    assert isinstance(err, InputError) and (err.origin, err.reason) == (url, "HTTP 404 NOT FOUND")


def test_size_limit(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000, content_type="text/plain")
    with pytest.raises(InputError, match="larger than 1000 bytes"):
        fetch(httpserver.url_for("/big"), max_bytes=1000)


def test_timeout(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(InputError, match=r"timed out after 0.3s"):
        fetch(httpserver.url_for("/slow"), timeout=0.3)


def test_unreachable_url_is_an_error_not_a_crash() -> None:
    [err] = list(read_url("http://127.0.0.1:9/nothing"))
    assert isinstance(err, InputError) and err.reason.startswith("cannot be fetched")
