"""GDELT 2.0 event (61 columns) and mentions (16 columns) tables, tab-separated, no header.

Conventions as GDELT's codebook gives them: integer ids, SQLDATE as YYYYMMDD, event codes as
strings ("040"), FIPS 10-4 country codes in the geography fields (``data/fips.tsv``, from
GeoNames' country table), empty fields as empty strings. A compound event ("Russia and China
met Iran") is one row per actor pair, numbered ``event_id + i`` (event ids leave their low
four bits free for this; at most 16 pairs are written). What dyad does not know is left
empty rather than guessed: ethnic and religion codes, AvgTone and MentionDocTone (no tone is
computed), ADM2 codes, GeoNames feature ids; the actors' own geography (Actor1Geo, Actor2Geo)
has type 0 (none).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any

from dyad.errors import KnowledgeBaseError

log = logging.getLogger(__name__)

FIPS_FILE = Path(__file__).resolve().parent / "data" / "fips.tsv"
MAX_PAIRS = 16

EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                             "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
                             "Type3Code")),
    *(f"Actor2{f}" for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                             "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
                             "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action")
      for f in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long",
                "FeatureID")),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)  # fmt: skip


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> FIPS 10-4, validated at load."""
    out: dict[str, str] = {}
    for n, line in enumerate(FIPS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or len(parts[0]) != 3 or len(parts[1]) != 2 or parts[0] in out:
            raise KnowledgeBaseError(
                str(FIPS_FILE), f"line {n}: expected 'ISO3<TAB>FIPS<TAB>name', once per ISO3"
            )
        out[parts[0]] = parts[1]
    return out


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def _stamp(t: datetime | None) -> str:
    return t.strftime("%Y%m%d%H%M%S") if t else ""


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}".rstrip("0").rstrip(".")


def _actor_fields(a: dict[str, Any] | None) -> list[str]:
    if a is None:
        return [""] * 10
    sectors = [s for s in (a["sectors"] or "").split(";") if s][:3]
    name = a["name"] or _key_name(a["key"])
    return [
        a["code"], name.upper(), a["country"] or "", a["org"] or "", "", "", "",
        *[*sectors, "", "", ""][:3],
    ]  # fmt: skip


def _place_type(place: str, country: str | None) -> int:
    from dyad.actors.kb import load_kb

    c = load_kb().countries.get(country or "")
    if c is not None and place in (c.name, *c.names):
        return 1
    return 3 if country == "USA" else 4


def _action_geo(e: dict[str, Any]) -> list[str]:
    place, country = e["place"], e["place_country"]
    if not place:
        return ["0", "", "", "", "", "", "", ""]
    kind = _place_type(place, country)
    fips = fips_codes().get(country or "", "")
    full = place if kind == 1 or not country else f"{place}, {_country_name(country)}"
    lat, lon = ("", "") if kind == 1 else (_num(e["lat"]), _num(e["lon"]))
    return [str(kind), full, fips, fips, "", lat, lon, ""]


def _key_name(key: str) -> str:
    """A country's or organisation's name for an actor key, else the key."""
    from dyad.actors.kb import load_kb

    kb = load_kb()
    found = kb.countries.get(key) or kb.organizations.get(key)
    return found.name if found else key


def _country_name(iso3: str) -> str:
    from dyad.actors.kb import load_kb

    c = load_kb().countries.get(iso3)
    return c.name if c else iso3


def event_rows(
    events: Sequence[dict[str, Any]], actors: Sequence[dict[str, Any]]
) -> Iterator[list[str]]:
    """61-column rows: one per event and pair of actors."""
    by_event: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for a in actors:
        by_event.setdefault(a["event_id"], {"source": [], "target": []})[a["side"]].append(a)
    for e in events:
        sides = by_event.get(e["event_id"], {"source": [], "target": []})
        none: list[dict[str, Any] | None] = [None]
        pairs = list(product(sides["source"] or none, sides["target"] or none))
        if len(pairs) > MAX_PAIRS:
            log.warning(
                "event %s: %d actor pairs, writing %d", e["event_id"], len(pairs), MAX_PAIRS
            )
        day: date | None = e["date"]
        for i, (a1, a2) in enumerate(pairs[:MAX_PAIRS]):
            dates = ["", "", "", ""]
            if day is not None:
                frac = day.year + (day.timetuple().tm_yday / 365)
                dates = [_day(day), day.strftime("%Y%m"), str(day.year), f"{frac:.4f}"]
            yield [
                str(e["event_id"] + i), *dates, *_actor_fields(a1), *_actor_fields(a2),
                "1" if e["is_root"] else "0", e["cameo"], e["cameo_base"], e["cameo_root"],
                str(e["quad_class"]), _num(e["goldstein"]), str(e["num_mentions"]),
                str(e["num_sources"]), str(e["num_articles"]), "",
                *(["0", "", "", "", "", "", "", ""] * 2), *_action_geo(e),
                _stamp(e["added_at"]), e["url"] or e["article_id"],
            ]  # fmt: skip


def _offset(text: str | None, evidence: str, start: int) -> int:
    if not text:
        return -1
    i = evidence.find(text)
    return -1 if i < 0 else start + i


def mention_rows(
    mentions: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]]
) -> Iterator[list[str]]:
    """16-column rows: one per mention (of the event's first actor pair)."""
    added = {e["event_id"]: e["added_at"] for e in events}
    for m in mentions:
        a1, a2 = m["source_text"], m["target_text"]
        o1 = _offset(a1, m["evidence"], m["evidence_start"])
        o2 = _offset(a2, m["evidence"], m["evidence_start"])
        seen = m["ingested_at"]
        yield [
            str(m["event_id"]), _stamp(added.get(m["event_id"])), _stamp(seen),
            "1" if m["url"] else "6", m["article_source"] or _host(m["url"]) or "",
            m["url"] or m["article_id"], str(m["sentence"] + 1), str(o1), str(o2),
            str(m["trigger_start"]), "1" if (a1 is None or o1 >= 0) and
            (a2 is None or o2 >= 0) else "0",
            str(max(10, min(100, round(m["confidence"] * 100)))), str(m["doc_length"]),
            "", "", "",
        ]  # fmt: skip


def _host(url: str | None) -> str | None:
    from dyad.cluster import source_name

    return source_name(None, url, "") or None if url else None


def write_tsv(rows: Iterator[list[str]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        for row in rows:
            f.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in row) + "\n")
            n += 1
    return n
