"""Extract the compact names list the PII scan ships from the `names-dataset` package (run once, offline).

    pip download --no-deps names-dataset==3.3.1 -d DIR && unzip -q -o DIR/*.whl -d DIR
    python scripts/extract_names.py DIR/names_dataset/v3 governance/scan/recognizers/data

`names-dataset` holds first and last names with a per-country popularity rank; loading it whole takes
about 3 GB of memory, so the scan cannot use it at run time. This keeps, for each country below, the
names ranked in its top `--top` (given and family names separately), folded to lower case, and writes
them sorted, one per line, gzip-compressed with a fixed timestamp: the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import pickle
from pathlib import Path

COUNTRIES = (
    # the EU/EEA, the UK, Switzerland, North America, and the largest origins of European residents...
    "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE",
    "IS", "IT", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "US", "CA", "AU",
    "TR", "MA", "DZ", "TN", "EG", "UA", "RU", "RS", "AL", "IN", "PK", "CN", "BR", "MX", "AR", "CO", "NG",
)
# every other country of the dataset, with its most common names only (`--top-other`): a table may hold
# anyone's name (Azerbaijani, Kazakh, Georgian, Latin American, Asian), but the long tail of a country's
# names holds ordinary words of every language (company and brand words) too
OTHER_COUNTRIES = (
    "AE", "AF", "AO", "AZ", "BD", "BF", "BH", "BI", "BN", "BO", "BW", "CL", "CM", "CR", "DJ", "EC", "ET",
    "FJ", "GE", "GH", "GT", "HK", "HN", "HT", "ID", "IL", "IQ", "IR", "JM", "JO", "JP", "KH", "KR", "KW",
    "KZ", "LB", "LY", "MD", "MO", "MU", "MV", "MY", "NA", "OM", "PA", "PE", "PH", "PR", "PS", "QA", "SA",
    "SD", "SG", "SV", "SY", "TM", "TW", "UY", "YE", "ZA",
)


def extract(pickle_gz: Path, top: int, top_other: int) -> list[str]:
    with gzip.open(pickle_gz, "rb") as handle:
        data = pickle.load(handle)
    keep: set[str] = set()
    for name, info in data.items():
        ranks = info.get("rank") or {}
        if any(ranks.get(c) is not None and ranks[c] <= top for c in COUNTRIES) or any(
            ranks.get(c) is not None and ranks[c] <= top_other for c in OTHER_COUNTRIES
        ):
            folded = name.strip().lower()
            if len(folded) >= 2 and all(ch.isalpha() or ch in "-' " for ch in folded):
                keep.add(folded)
    del data
    return sorted(keep)


def write(path: Path, names: list[str]) -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as handle:
        handle.write(("\n".join(names) + "\n").encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="names_dataset/v3 (first_names.pkl.gz, last_names.pkl.gz)")
    parser.add_argument("out", type=Path, help="directory for given_names.txt.gz and family_names.txt.gz")
    parser.add_argument("--top", type=int, default=10000, help="rank cut-off per country (default: %(default)s)")
    parser.add_argument("--top-other", type=int, default=2000,
                        help="rank cut-off per country of OTHER_COUNTRIES (default: %(default)s)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for source, target in (("first_names.pkl.gz", "given_names.txt.gz"), ("last_names.pkl.gz", "family_names.txt.gz")):
        names = extract(args.source / source, args.top, args.top_other)
        write(args.out / target, names)
        print(f"{target}: {len(names)} names")


if __name__ == "__main__":
    main()
