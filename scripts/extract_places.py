"""Extract the compact list of place names the PII scan ships, from Faker's address providers (run once).

    python scripts/extract_places.py governance/scan/recognizers/data

Every Faker locale whose address provider carries a list of real cities, towns, municipalities,
provinces or states contributes them; names are folded to lower case, sorted and written gzip-compressed
with a fixed timestamp (the same Faker version gives the same bytes). The scan uses the list to tell a
column of towns from a column of surnames; column names (`city`, `ort`, `ville`, ...) remain the first
signal.
"""

from __future__ import annotations

import gzip
import importlib
import io
import pkgutil
import sys
from pathlib import Path

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


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    names = places()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as handle:
        handle.write(("\n".join(names) + "\n").encode("utf-8"))
    (out / "places.txt.gz").write_bytes(buffer.getvalue())
    print(f"places.txt.gz: {len(names)} names")


if __name__ == "__main__":
    main()
