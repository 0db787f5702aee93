"""Mentions become events: one event per happening, across articles (GDELT 2.0's model).

Every coded record is a *mention* (a row of the ``events`` table, kept exactly as coded).
Mentions of the same happening, in one article or in several, are grouped into one *event*
(``event_groups``), which keeps its best evidence and counts its mentions, sources and
articles. Two mentions can describe the same happening only when (hard rules):

- they have the same status, the same quad class and the same CAMEO root;
- their sides are compatible: the same actors (by country, organisation or code), or one
  side's actors contained in the other's (a report that names fewer of the parties), or the
  sides swapped for a symmetric kind of event (consult, cooperate, aid: "A met B" is "B met
  A"); where both name people on a side, they name the same people;
- their dates are compatible: ranges that overlap, or no more than ``WINDOW_DAYS`` apart;
- their places are compatible: not two different countries.

Within one article, only mentions of the same sentence are grouped (two codings of one
clause): stage 9 already merged the article's repeats, and what it left apart in other
sentences is another happening, or too close to call.

Compatible mentions get a score in 0..1, a weighted mean of how closely the actors, the
codes, the dates and the places agree (:func:`pair_score`). A mention joins the event whose
members it is compatible with, all of them, and scores best with one of them, when that
score reaches ``THRESHOLD``; otherwise it starts an event of its own.

Deterministic and incremental: mentions are grouped in a fixed order (date, article,
sentence, id), within *segments*: runs of mentions of one status, quad class and root
whose dates chain within the window. A segment's grouping depends on its own mentions
only, so after an ingest only the segments that received new (or lost) mentions are grouped
again, from scratch, and the result equals a full re-clustering of the store. Event ids are
integers derived from the event's first mention, so an event keeps its id as long as its
first mention stays.

Stories: articles that share an event (one with mentions in several articles) share a story
id (connected components of the article/event graph).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from dyad.model import Actor, Event, record_from_json

if TYPE_CHECKING:
    from dyad.store import Store

log = logging.getLogger(__name__)

WINDOW_DAYS = 3
"""Mentions more than this many days apart never describe the same happening."""
THRESHOLD = 0.75
"""The least pair score for a mention to join an event."""
WEIGHTS = {"actors": 0.35, "code": 0.25, "date": 0.25, "place": 0.15}
SYMMETRIC_ROOTS = frozenset({"03", "04", "05", "06", "07"})
"""Roots whose events read the same either way round (intend to cooperate, consult,
cooperate diplomatically or materially, give aid): "A met B" is "B met A"."""
PAIR_HASH = "hash(least({a}, {b}), greatest({a}, {b}))"
"""The SQL for an undirected pair of actor keys as one integer (event_dyads.pair_hash)."""
ARC_HASH = "hash({a}, {b})"
"""The SQL for a directed pair (event_dyads.arc_hash)."""
COARSE_DAYS = 7
"""A date range longer than this (a month, a quarter) only loosely places a happening."""


@dataclass(frozen=True, slots=True)
class Mention:
    """What the grouping reads of one stored mention."""

    id: str
    article_id: str
    source: str
    published: date | None
    sentence: int
    status: str
    cameo: str
    cameo_root: str
    quad_class: int
    source_keys: frozenset[str]
    target_keys: frozenset[str]
    source_names: frozenset[str]
    target_names: frozenset[str]
    start: date | None
    end: date | None
    basis: str | None
    place: str | None
    place_country: str | None
    confidence: float

    @property
    def block(self) -> tuple[str, int, str]:
        return (self.status, self.quad_class, self.cameo_root)

    @property
    def anchor(self) -> tuple[date, date]:
        """The days the happening can lie in: its date, else its publication day."""
        if self.start is not None and self.end is not None:
            return self.start, self.end
        day = self.published or date.min
        return day, day

    @property
    def order(self) -> tuple[date, date, str, int, str]:
        start, _ = self.anchor
        return (start, self.published or date.min, self.article_id, self.sentence, self.id)

    @property
    def text_dated(self) -> bool:
        return self.start is not None and self.basis == "text"


def _gap_days(a: Mention, b: Mention) -> int:
    (a0, a1), (b0, b1) = a.anchor, b.anchor
    if a0 <= b1 and b0 <= a1:
        return 0
    return (b0 - a1).days if a1 < b0 else (a0 - b1).days


def _side_score(a: frozenset[str], b: frozenset[str]) -> float | None:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.6
    if a <= b or b <= a:
        return 0.75
    return None


def _names_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    return not (a and b) or a == b


def _actor_score(a: Mention, b: Mention) -> float | None:
    straight = None
    if _names_agree(a.source_names, b.source_names) and _names_agree(
        a.target_names, b.target_names
    ):
        s, t = _side_score(a.source_keys, b.source_keys), _side_score(a.target_keys, b.target_keys)
        if s is not None and t is not None and (s, t) != (0.6, 0.6):
            straight = min(s, t)
    swapped = None
    sides = (a.source_keys, a.target_keys, b.source_keys, b.target_keys)
    if (
        a.cameo_root in SYMMETRIC_ROOTS
        and all(sides)
        and _names_agree(a.source_names | a.target_names, b.source_names | b.target_names)
    ):
        s, t = _side_score(a.source_keys, b.target_keys), _side_score(a.target_keys, b.source_keys)
        if s is not None and t is not None:
            swapped = 0.9 * min(s, t)
    scores = [x for x in (straight, swapped) if x is not None]
    return max(scores) if scores else None


def _code_score(a: Mention, b: Mention) -> float:
    if a.cameo == b.cameo:
        return 1.0
    return 0.85 if a.cameo[:3] == b.cameo[:3] else 0.7


def _date_score(a: Mention, b: Mention) -> float | None:
    gap = _gap_days(a, b)
    if gap > WINDOW_DAYS:
        return None
    if not (a.text_dated and b.text_dated):
        return 0.8 - 0.1 * gap
    if gap:
        return 0.9 - 0.2 * gap
    coarse = any((m.anchor[1] - m.anchor[0]).days > COARSE_DAYS for m in (a, b))
    return 0.8 if coarse else 1.0


def _place_score(a: Mention, b: Mention) -> float | None:
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return None
    if a.place and b.place:
        return 1.0 if a.place == b.place else 0.85
    return 0.8 if a.place is None and b.place is None else 0.7


def pair_score(a: Mention, b: Mention) -> float | None:
    """How likely two mentions describe one happening (0..1), or None when they cannot."""
    if a.block != b.block:
        return None
    if a.article_id == b.article_id and a.sentence != b.sentence:
        # Stage 9 (dedup) already merged an article's repeats; what it left apart in other
        # sentences of the same article are other happenings, or too close to call.
        return None
    parts = {
        "actors": _actor_score(a, b),
        "code": _code_score(a, b),
        "date": _date_score(a, b),
        "place": _place_score(a, b),
    }
    if any(v is None for v in parts.values()):
        return None
    return round(sum(WEIGHTS[k] * float(v or 0.0) for k, v in parts.items()), 4)


@dataclass(slots=True)
class _Group:
    members: list[Mention] = field(default_factory=list)

    def score(self, m: Mention) -> float | None:
        scores = [pair_score(x, m) for x in self.members]
        if any(s is None for s in scores):
            return None
        return max(float(s or 0.0) for s in scores)


def group_mentions(mentions: Iterable[Mention]) -> list[list[Mention]]:
    """Mentions grouped into happenings, in the deterministic order the rule is stated in."""
    groups: list[_Group] = []
    for m in sorted(mentions, key=lambda x: x.order):
        best: tuple[float, int] | None = None
        for i, g in enumerate(groups):
            s = g.score(m)
            if s is not None and s >= THRESHOLD and (best is None or s > best[0]):
                best = (s, i)
        if best is None:
            groups.append(_Group([m]))
        else:
            groups[best[1]].members.append(m)
    return [g.members for g in groups]


def segments(mentions: Iterable[Mention]) -> list[list[Mention]]:
    """Runs of mentions of one block whose dates chain within the window."""
    by_block: dict[tuple[str, int, str], list[Mention]] = {}
    for m in mentions:
        by_block.setdefault(m.block, []).append(m)
    out: list[list[Mention]] = []
    for block in sorted(by_block):
        run: list[Mention] = []
        reach = date.min
        for m in sorted(by_block[block], key=lambda x: x.order):
            start, end = m.anchor
            if run and (start - reach).days > WINDOW_DAYS:
                out.append(run)
                run = []
            reach = end if not run else max(reach, end)
            run.append(m)
        if run:
            out.append(run)
    return out


def event_id(first: Mention) -> int:
    """The event's integer id (GLOBALEVENTID): from its first mention; the low 4 bits are
    left free so that an export can number the actor pairs of a compound event."""
    return int(hashlib.sha1(first.id.encode("utf-8")).hexdigest()[:13], 16) << 4


def _rank(m: Mention) -> tuple[float, int, int, date, str]:
    """Best evidence: most confident, dated by the text, earliest in the article, earliest
    published; the id breaks ties."""
    published = m.published or date.max
    return (-m.confidence, 0 if m.text_dated else 1, m.sentence, published, m.id)


def best_mention(members: Sequence[Mention]) -> Mention:
    return min(members, key=_rank)


def source_name(source: str | None, url: str | None, article_id: str) -> str:
    """Who published an article: its source, else its URL's host, else its id."""
    if source:
        return source
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return article_id


# -- the store side ---------------------------------------------------------------------------

_MENTIONS_SQL = """
SELECT e.id, e.article_id, a.source, a.url, a.published, e.sentence, e.status, e.cameo,
       e.cameo_root, e.quad_class, e.source_keys, e.target_keys,
       CAST(json_extract_string(e.record, '$.source[*].name') AS VARCHAR[]),
       CAST(json_extract_string(e.record, '$.target[*].name') AS VARCHAR[]),
       e.date_start, e.date_end, e.date_basis, e.place, e.place_country, e.confidence
FROM events e JOIN articles a ON a.id = e.article_id
"""


def _mention(row: Sequence[Any]) -> Mention:
    (mid, aid, src, url, published, sentence, status, cameo, root, quad, skeys, tkeys) = row[:12]
    snames, tnames, start, end, basis, place, country, conf = row[12:]
    return Mention(
        id=mid,
        article_id=aid,
        source=source_name(src, url, aid),
        published=published,
        sentence=int(sentence),
        status=status,
        cameo=cameo,
        cameo_root=root,
        quad_class=int(quad),
        source_keys=frozenset(skeys),
        target_keys=frozenset(tkeys),
        source_names=frozenset(n for n in (snames or ()) if n),
        target_names=frozenset(n for n in (tnames or ()) if n),
        start=start,
        end=end,
        basis=basis,
        place=place,
        place_country=country,
        confidence=float(conf),
    )


def _drop_groups(store: Store, gids: Sequence[int]) -> None:
    if not gids:
        return
    store.db.execute("CREATE OR REPLACE TEMP TABLE _drop (gid BIGINT)")
    store.db.executemany("INSERT INTO _drop VALUES (?)", [[g] for g in gids])
    for table in ("event_groups", "event_mentions", "event_actors", "event_dyads"):
        store.db.execute(f"DELETE FROM {table} WHERE gid IN (SELECT gid FROM _drop)")
    store.db.execute("DROP TABLE _drop")


def _stale_groups(store: Store) -> list[int]:
    """Events that lost a mention (its article was replaced)."""
    rows = store.db.execute(
        "SELECT DISTINCT m.gid FROM event_mentions m ANTI JOIN events e ON e.id = m.mention_id"
    ).fetchall()
    return sorted(int(r[0]) for r in rows)


def _affected(store: Store) -> tuple[list[list[Mention]], list[int]]:
    """The segments holding unassigned mentions, and the events now in them."""
    blocks = store.db.execute(
        "SELECT DISTINCT e.status, e.quad_class, e.cameo_root FROM events e "
        "ANTI JOIN event_mentions m ON m.mention_id = e.id"
    ).fetchall()
    if not blocks:
        return [], []
    store.db.execute(
        "CREATE OR REPLACE TEMP TABLE _blocks (status VARCHAR, quad_class INTEGER, root VARCHAR)"
    )
    store.db.executemany("INSERT INTO _blocks VALUES (?, ?, ?)", [list(b) for b in blocks])
    rows = store.db.execute(
        _MENTIONS_SQL + " SEMI JOIN _blocks b ON b.status = e.status AND "
        "b.quad_class = e.quad_class AND b.root = e.cameo_root"
    ).fetchall()
    store.db.execute("DROP TABLE _blocks")
    assigned = dict(
        store.db.execute(
            "SELECT m.mention_id, m.gid FROM event_mentions m JOIN events e ON e.id = m.mention_id"
        ).fetchall()
    )
    chosen = [
        s for s in segments(_mention(r) for r in rows) if any(m.id not in assigned for m in s)
    ]
    old = sorted({int(assigned[m.id]) for s in chosen for m in s if m.id in assigned})
    return chosen, old


def update_events(store: Store) -> int:
    """Group the mentions that belong to no event yet, regrouping the segments they fall in;
    returns the number of events written. Idempotent: a second call changes nothing."""
    try:
        store.db.execute("BEGIN TRANSACTION")
        _drop_groups(store, _stale_groups(store))
        chosen, old = _affected(store)
        _drop_groups(store, old)
        written = 0
        for seg in chosen:
            for members in group_mentions(seg):
                _write_group(store, members)
                written += 1
        _update_stories(store)
        store.db.execute("COMMIT")
    except Exception:
        store.db.execute("ROLLBACK")
        raise
    if written:
        log.info("%s: %d events regrouped", store.path, written)
    return written


def _stored_event(store: Store, mention_id: str) -> Event:
    row = store.db.execute("SELECT record FROM events WHERE id = ?", [mention_id]).fetchone()
    assert row is not None
    rec = record_from_json(json.loads(row[0]))
    assert isinstance(rec, Event)
    return rec


def _write_group(store: Store, members: Sequence[Mention]) -> None:
    gid = event_id(members[0])
    best = best_mention(members)
    e = _stored_event(store, best.id)
    start, end, gran = _date_of(store, e, best, members)
    loc = e.location
    confidence = max(m.confidence for m in members)
    counts = (
        len(members),
        len({m.source for m in members}),
        len({m.article_id for m in members}),
    )
    store.db.execute(
        "INSERT INTO event_groups VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            gid, e.id, e.article.id, e.status, e.cameo, e.cameo[:3], e.cameo_root,
            e.quad_class, e.goldstein, e.plover.type, start, end, gran,
            loc.name if loc else None, loc.country if loc else None,
            loc.lat if loc else None, loc.lon if loc else None,
            confidence, *counts, any(m.sentence == 0 for m in members), None,
            datetime.now(UTC).replace(tzinfo=None), e.evidence.text,
            [_actor_struct(a) for a in e.source], [_actor_struct(a) for a in e.target],
        ],
    )  # fmt: skip
    store.db.executemany(
        "INSERT INTO event_mentions VALUES (?, ?, ?)", [[m.id, gid, m.article_id] for m in members]
    )
    actors = [
        [gid, side, i, a.country or a.org or a.code, a.code, a.country, a.org, a.name,
         list(a.sectors)]
        for side, group in (("source", e.source), ("target", e.target))
        for i, a in enumerate(group)
    ]  # fmt: skip
    if actors:
        store.db.executemany("INSERT INTO event_actors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", actors)
    pairs = sorted(
        {(s[3], t[3]) for s in actors if s[1] == "source" for t in actors if t[1] == "target"}
    )
    dyads = [
        [gid, a, b, start, e.status, e.cameo, e.quad_class, e.goldstein, e.plover.type,
         loc.country if loc else None, confidence, counts[0]]
        for a, b in pairs
        if a != b
    ]  # fmt: skip
    if dyads:
        store.db.executemany(
            "INSERT INTO event_dyads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            f"{PAIR_HASH.format(a='?', b='?')}, {ARC_HASH.format(a='?', b='?')})",
            [[*d, d[1], d[2], d[2], d[1], d[1], d[2]] for d in dyads],
        )


def _actor_struct(a: Actor) -> dict[str, Any]:
    return {"key": a.country or a.org or a.code, "code": a.code, "country": a.country,
            "org": a.org, "name": a.name, "sectors": list(a.sectors)}  # fmt: skip


def _date_of(
    store: Store, e: Event, best: Mention, members: Sequence[Mention]
) -> tuple[date | None, date | None, str | None]:
    """The best mention's date, narrowed to the most precise text date of the group inside it."""
    d = e.date
    start, end = (d.start, d.end) if d else (None, None)
    gran = d.granularity if d else None
    dated = [m for m in members if m.text_dated and m.start is not None and m.end is not None]
    for m in sorted(dated, key=lambda x: ((x.anchor[1] - x.anchor[0]).days, x.order)):
        assert m.start is not None and m.end is not None
        inside = start is not None and end is not None and start <= m.start and m.end <= end
        if start is None or not best.text_dated or inside:
            other = _stored_event(store, m.id).date
            if other is not None:
                return other.start, other.end, other.granularity
            break
    return start, end, gran


def _update_stories(store: Store) -> None:
    """Articles linked by shared events share a story id (union-find over the links)."""
    rows = store.db.execute(
        "SELECT DISTINCT gid, article_id FROM event_mentions ORDER BY gid, article_id"
    ).fetchall()
    articles = [r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    parent = {a: a for a in articles}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[int, str] = {}
    for gid, aid in rows:
        if aid not in parent:
            continue
        if gid in first:
            ra, rb = find(first[gid]), find(aid)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        else:
            first[gid] = aid
    stories = [[a, _story_id(find(a))] for a in articles]
    store.db.execute("DELETE FROM article_stories")
    if stories:
        store.db.executemany("INSERT INTO article_stories VALUES (?, ?)", stories)
    store.db.execute(
        "UPDATE event_groups g SET story_id = s.story_id FROM article_stories s "
        "WHERE s.article_id = g.article_id AND g.story_id IS DISTINCT FROM s.story_id"
    )


def _story_id(root_article: str) -> int:
    return int(hashlib.sha1(root_article.encode("utf-8")).hexdigest()[:15], 16)
