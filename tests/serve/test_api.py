"""The server over a hand-built store: twins, escaping, headers, errors, paging, writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dyad.cli import app as cli
from dyad.serve.app import CSP
from dyad.store import open_store
from tests.serve.conftest import TOKEN

DATA_ID = re.compile(r'data-id="([^"]*)"')


def event_id(client: TestClient, **params: str) -> int:
    rows = client.get("/events.json", params=params).json()["items"]
    return int(rows[0]["event_id"])


def ids_of(view: dict[str, object], keys: list[str]) -> list[str]:
    """The row ids a page shows, in page order, from its JSON twin."""
    out: list[str] = []
    for key in keys:
        node: object = view
        for part in key.split("."):
            assert isinstance(node, dict)
            node = node[part]
        assert isinstance(node, list)
        for row in node:
            if "event_id" in row and "mention_id" not in row:
                out.append(str(row["event_id"]))
            elif "mention_id" in row:
                out.append(row["mention_id"])
            else:
                out.append(f"{row['a']}|{row['b']}")
    return out


@pytest.mark.parametrize(
    ("page", "keys"),
    [
        ("/", ["top_dyads"]),
        ("/events", ["items"]),
        ("/events?actor=Russia&limit=2", ["items"]),
        ("/events?status=negated", ["items"]),
        ("/dyads", ["items"]),
        ("/dyads?directed=true", ["items"]),
        ("/dyads/POL/RUS", ["items"]),
        ("/dyads/RUS/CHN?by=day", ["items"]),
        ("/actors/Russia", ["dyads", "events"]),
        ("/actors/RUSGOV", ["dyads", "events"]),
    ],
)
def test_pages_and_json_twins_hold_the_same_rows(
    client: TestClient, page: str, keys: list[str]
) -> None:
    html = client.get(page)
    path, _, query = page.partition("?")
    twin = client.get((path.rstrip("/") or "/index") + ".json" + (f"?{query}" if query else ""))
    assert html.status_code == twin.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert twin.headers["content-type"] == "application/json"
    expected = ids_of(twin.json(), keys)
    assert expected, f"{page}: no rows to compare"
    assert DATA_ID.findall(html.text) == expected
    negotiated = client.get(page, headers={"Accept": "application/json"}).json()
    negotiated.pop("next", None)  # a link to the page path rather than to the twin
    assert negotiated == {k: v for k, v in twin.json().items() if k != "next"}


def test_event_page_shows_every_mention_with_its_article(client: TestClient) -> None:
    gid = event_id(client, cameo="166")
    twin = client.get(f"/events/{gid}.json").json()["detail"]
    assert twin["event"]["num_mentions"] == 3
    html = client.get(f"/events/{gid}").text
    assert DATA_ID.findall(html) == [m["mention_id"] for m in twin["mentions"]]
    assert sorted(m["article_id"] for m in twin["mentions"]) == ["w1", "w2", "w3"]
    assert html.count('class="article-link" href="/articles/w') == 3
    assert '<mark class="trigger">expelled</mark>' in html
    assert '<mark class="source">Poland</mark>' in html


def test_article_page_marks_the_evidence_and_links_its_event(client: TestClient) -> None:
    gid = event_id(client, cameo="166")
    view = client.get("/articles/w1.json").json()["article"]
    marked = [s for s in view["segments"] if s["mark"] == "evidence"]
    assert [s["text"] for s in marked] == [view["text"][: len(marked[0]["text"])]]
    assert "".join(s["text"] for s in view["segments"]) == view["text"]
    assert f'href="/events/{gid}"' in client.get("/articles/w1").text


@pytest.mark.parametrize(
    "page", ["/", "/events", "/events?actor=POL", "/articles/hostile", "/dyads/POL/UKR",
             "/actors/POL", "/events?actor=<script>"],
)  # fmt: skip
def test_markup_in_articles_renders_as_text(client: TestClient, page: str) -> None:
    html = client.get(page).text
    assert "<script" not in html.lower()
    assert "<b>Lublin" not in html


def test_markup_is_escaped_on_the_event_and_article_pages(client: TestClient) -> None:
    gid = event_id(client, cameo="040", actor="UKR")
    for page in (f"/events/{gid}", "/articles/hostile"):
        html = client.get(page).text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, page
        assert "&lt;b&gt;Lublin&lt;/b&gt;" in html
    assert "&lt;i&gt;Markup&lt;/i&gt; &amp; more" in client.get("/articles/hostile").text


@pytest.mark.parametrize(
    "path", ["/", "/events.json", "/docs", "/openapi.json", "/nope", "/events.json?since=x"]
)
def test_every_response_has_a_strict_content_security_policy(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.headers["content-security-policy"] == CSP
    assert "unsafe" not in CSP and "default-src 'none'" in CSP
    assert r.headers["x-content-type-options"] == "nosniff"


def test_docs_page_needs_no_network(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    for path in ("/events.json", "/series.json", "/network.json", "/stats.json"):
        assert f"<code>{path}</code>" in html


# -- errors: RFC 9457 problems with the CLI's messages -----------------------------------------


@pytest.mark.parametrize(
    ("params", "cli_args"),
    [
        ({"since": "2024-13-01"}, ["--since", "2024-13-01"]),
        ({"until": "yesterday"}, ["--until", "yesterday"]),
        ({"status": "maybe"}, ["--status", "maybe"]),
        ({"quad": "7"}, ["--quad", "7"]),
        ({"cameo": "x1"}, ["--cameo", "x1"]),
        ({"min_confidence": "2"}, ["--min-confidence", "2"]),
        ({"actor": "Zzyzxland"}, ["--actor", "Zzyzxland"]),
        ({"since": "2024-05-01", "until": "2024-04-01"},
         ["--since", "2024-05-01", "--until", "2024-04-01"]),
    ],
)  # fmt: skip
def test_errors_are_problems_with_the_cli_message(
    client: TestClient, store_path: Path, params: dict[str, str], cli_args: list[str]
) -> None:
    r = client.get("/events.json", params=params)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 400 and body["title"] == "Bad Request"
    run = CliRunner().invoke(cli, ["events", "--db", str(store_path), *cli_args])
    assert run.exit_code == 2
    assert body["detail"] in run.output
    page = client.get("/events", params=params)
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]
    assert body["detail"].replace("'", "&#39;") in page.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/events/16.json", 404),
        (f"/events/{2**63 - 1}.json", 404),
        (f"/events/{2**63}.json", 400),
        ("/events/-1.json", 400),
        ("/articles/no-such-article.json", 404),
        ("/actors/Qwxzzyx.json", 404),
        ("/actors.json?q=Qwxzzyx", 404),
        ("/events.json?limit=501", 400),
        ("/events.json?offset=-1", 400),
        ("/series.json?by=fortnight", 400),
        ("/series.json?dyad=RUS", 400),
        ("/no/such/page.json", 404),
    ],
)
def test_not_found_and_bad_parameters(client: TestClient, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"]


# -- caching and paging -----------------------------------------------------------------------


def test_reads_carry_an_etag_and_answer_304(client: TestClient) -> None:
    first = client.get("/events.json")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    assert client.get("/events.json").headers["etag"] == etag
    again = client.get("/events.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    assert client.get("/events.json?limit=1").headers["etag"] != etag


def test_paging_walks_every_row_once(client: TestClient) -> None:
    everything = [r["event_id"] for r in client.get("/events.json").json()["items"]]
    seen: list[int] = []
    url: str | None = "/events.json?limit=2"
    while url:
        page = client.get(url).json()
        assert len(page["items"]) <= 2
        seen += [r["event_id"] for r in page["items"]]
        url = page["next"]
    assert seen == everything and len(everything) == 6


# -- writes -----------------------------------------------------------------------------------

GOOD = b'{"id": "new-1", "text": "Poland and Ukraine signed a deal.", "published": "2024-06-04"}\n'


def store_state(path: Path) -> tuple[int, int, int]:
    with open_store(path, read_only=True) as store:
        row = store.db.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), "
            "(SELECT count(*) FROM event_groups)"
        ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def test_writes_are_off_without_a_token(client: TestClient, store_path: Path) -> None:
    before = store_state(store_path)
    r = client.post("/articles", content=GOOD, headers={"Authorization": "Bearer x"})
    assert r.status_code == 403 and "--token" in r.json()["detail"]
    assert store_state(store_path) == before


@pytest.mark.parametrize(
    ("headers", "body", "status", "detail"),
    [
        ({}, GOOD, 401, "bearer token"),
        ({"Authorization": "Bearer wrong"}, GOOD, 401, "bearer token"),
        ({"Authorization": f"Basic {TOKEN}"}, GOOD, 401, "bearer token"),
        ({"Authorization": f"Bearer {TOKEN}"}, b"x" * 5000, 413, "4096 bytes"),
        ({"Authorization": f"Bearer {TOKEN}"}, GOOD + b'{"text": "no id"}\n', 400,
         "body:2: missing required field 'id'"),
        ({"Authorization": f"Bearer {TOKEN}"}, GOOD + b"not json\n", 400, "body:2: not valid JSON"),
        ({"Authorization": f"Bearer {TOKEN}"}, b"", 400, "empty"),
    ],
)  # fmt: skip
def test_rejected_writes_change_nothing(
    writable: tuple[TestClient, Path],
    headers: dict[str, str],
    body: bytes,
    status: int,
    detail: str,
) -> None:
    client, path = writable
    before = store_state(path)
    r = client.post("/articles", content=body, headers=headers)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    assert detail in r.json()["detail"]
    if status == 401:
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert store_state(path) == before


def test_a_streamed_body_over_the_limit_is_refused(writable: tuple[TestClient, Path]) -> None:
    client, path = writable
    before = store_state(path)

    def chunks() -> object:
        for _ in range(10):
            yield b"x" * 1000

    r = client.post("/articles", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}"})  # type: ignore[arg-type]
    assert r.status_code == 413
    assert store_state(path) == before


@pytest.mark.slow
def test_a_write_with_the_token_codes_and_stores_articles(
    writable: tuple[TestClient, Path],
) -> None:
    client, path = writable
    before = store_state(path)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/articles", content=GOOD, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["added"] == 1 and r.json()["events"] >= 1
    after = store_state(path)
    assert after[0] == before[0] + 1 and after[1] > before[1]
    assert client.get("/articles/new-1.json").json()["article"]["published"] == "2024-06-04"
    again = client.post("/articles", content=GOOD, headers=auth)
    assert again.json()["unchanged"] == 1 and store_state(path) == after
    second = b'{"id": "new-2", "text": "Ukraine thanked Poland for its help."}\n'
    upload = client.post("/articles", files={"file": ("more.jsonl", second)}, headers=auth)
    assert upload.status_code == 200 and upload.json()["added"] == 1
    bad = client.post("/articles", files={"file": ("bad.jsonl", b"{}\n")}, headers=auth)
    assert bad.status_code == 400 and "bad.jsonl:1" in bad.json()["detail"]


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert run.exit_code == 2
    assert "no such store; create it with `dyad ingest PATH --db" in run.output
