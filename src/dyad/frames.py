"""The store as Arrow tables: typed, flat columns, straight from DuckDB (no JSON in between).

``events``: one row per event (a group of mentions) with its first source and first target
actor spelled out (``source_count`` / ``target_count`` say how many there are; the ``actors``
table lists them all); ``mentions``: one row per mention; ``actors``: one row per event and
actor. Codes are strings ("040"), dates are dates, counts are integers. ``.to_pandas()`` and
``polars.from_arrow()`` convert them without a copy through JSON.
"""

from __future__ import annotations

import pyarrow as pa

from dyad.query import ALL_EVENTS, Filters, _groups_where, arrow
from dyad.store import Store

EVENTS_SQL = """
WITH sel AS (SELECT g.* FROM event_groups g{where}),
firsts AS (
    SELECT x.gid, x.side, x.key, x.code, x.country, x.name, x.org, x.sectors[1] AS sector,
           count(*) OVER (PARTITION BY x.gid, x.side) AS n
    FROM event_actors x SEMI JOIN sel ON sel.gid = x.gid
    QUALIFY row_number() OVER (PARTITION BY x.gid, x.side ORDER BY x.position) = 1
)
SELECT g.gid AS event_id, g.date_start AS date, g.date_end, g.granularity,
       CAST(year(g.date_start) AS INTEGER) AS year, strftime(g.date_start, '%Y-%m') AS month,
       s.key AS source_key, s.code AS source_code, s.country AS source_country,
       s.name AS source_name, s.org AS source_org, s.sector AS source_sector,
       CAST(coalesce(s.n, 0) AS INTEGER) AS source_count,
       t.key AS target_key, t.code AS target_code, t.country AS target_country,
       t.name AS target_name, t.org AS target_org, t.sector AS target_sector,
       CAST(coalesce(t.n, 0) AS INTEGER) AS target_count,
       g.cameo, g.cameo_base, g.cameo_root, g.quad_class, g.goldstein, g.plover_type,
       json_extract_string(e.record, '$.plover.mode') AS plover_mode, g.status, g.confidence,
       g.place, g.place_country, g.lat, g.lon, g.num_mentions, g.num_sources, g.num_articles,
       g.is_root, g.story_id, g.best_mention, g.article_id, a.url, e.evidence, g.added_at
FROM sel g
JOIN events e ON e.id = g.best_mention
JOIN articles a ON a.id = g.article_id
LEFT JOIN firsts s ON s.gid = g.gid AND s.side = 'source'
LEFT JOIN firsts t ON t.gid = g.gid AND t.side = 'target'
ORDER BY g.date_start NULLS LAST, g.article_id, g.gid
"""

MENTIONS_SQL = """
SELECT m.gid AS event_id, e.id AS mention_id, e.article_id, a.source AS article_source,
       a.url, a.published, a.ingested_at, e.sentence, e.status, e.cameo, e.quad_class,
       e.goldstein, e.confidence, e.date_start, e.date_end, e.place, e.place_country,
       e.evidence,
       CAST(json_extract(e.record, '$.evidence.start') AS INTEGER) AS evidence_start,
       CAST(json_extract(e.record, '$.evidence.end') AS INTEGER) AS evidence_end,
       json_extract_string(e.record, '$.trigger.text') AS trigger,
       CAST(json_extract(e.record, '$.trigger.start') AS INTEGER) AS trigger_start,
       json_extract_string(e.record, '$.source[0].text') AS source_text,
       json_extract_string(e.record, '$.target[0].text') AS target_text,
       length(a.text) AS doc_length
FROM event_mentions m
JOIN events e ON e.id = m.mention_id
JOIN articles a ON a.id = e.article_id
WHERE m.gid IN (SELECT g.gid FROM event_groups g{where})
ORDER BY m.gid, a.published NULLS LAST, e.article_id, e.sentence, e.id
"""

ACTORS_SQL = """
SELECT x.gid AS event_id, x.side, x.position, x.key, x.code, x.country, x.org, x.name,
       array_to_string(x.sectors, ';') AS sectors
FROM event_actors x
WHERE x.gid IN (SELECT g.gid FROM event_groups g{where})
ORDER BY x.gid, x.side, x.position
"""


def _run(store: Store, sql: str, filters: Filters) -> pa.Table:
    f = filters.check()
    where, params = _groups_where(store, f)
    return arrow(store.db, sql.format(where=where), params)


def events_table(store: Store, filters: Filters = ALL_EVENTS) -> pa.Table:
    """One row per event: date, first source and target actor, codes, counts, evidence."""
    return _run(store, EVENTS_SQL, filters)


def mentions_table(store: Store, filters: Filters = ALL_EVENTS) -> pa.Table:
    """One row per mention of the selected events, with its article and offsets."""
    return _run(store, MENTIONS_SQL, filters)


def actors_table(store: Store, filters: Filters = ALL_EVENTS) -> pa.Table:
    """One row per actor of the selected events (sectors joined with ';')."""
    return _run(store, ACTORS_SQL, filters)
