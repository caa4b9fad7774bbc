"""The compact name and place lists (extracted at build time, see scripts/extract_names.py and
scripts/extract_places.py), loaded once per process on first use (~1M lower-case words)."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

DATA = Path(__file__).parent / "data"


@functools.cache
def word_list(name: str) -> frozenset[str]:
    with gzip.open(DATA / f"{name}.txt.gz", "rt", encoding="utf-8") as handle:
        return frozenset(line.rstrip("\n") for line in handle if line.strip())


def given_names() -> frozenset[str]:
    return word_list("given_names")


def family_names() -> frozenset[str]:
    return word_list("family_names")


def places() -> frozenset[str]:
    return word_list("places")

