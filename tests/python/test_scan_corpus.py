"""The labelled scan benchmark itself: deterministic, and each held-out part stays what was committed.

A held-out part is only held out while nobody changes it after measuring it; these tests pin a digest
of every part's generated values (a few rows per table), so an edit to a shared generator that would
silently change a measured part fails here and has to be made as a new part instead."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from benchmarks import scan_corpus

ROWS = 6


def part_digest(part: str) -> str:
    """SHA-256 of the part's tables (names, column names, types and values) at ROWS rows per table."""
    con = duckdb.connect(":memory:")
    saved = dict(scan_corpus.PARTS)
    try:
        scan_corpus.PARTS.clear()
        scan_corpus.PARTS[part] = saved[part]
        scan_corpus.build(con, ROWS)
    finally:
        scan_corpus.PARTS.clear()
        scan_corpus.PARTS.update(saved)
    digest = hashlib.sha256()
    tables = con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by 1", [part]).fetchall()
    for (table,) in tables:
        rows = con.execute(f'select * from {part}."{table}"').fetchall()
        digest.update(repr((table, [d[0] for d in con.description], rows)).encode())
    return digest.hexdigest()


def _vat_modules() -> dict:
    from stdnum.de import vat as de_vat
    from stdnum.fr import tva
    from stdnum.it import iva
    from stdnum.lt import pvm
    from stdnum.lv import pvn
    from stdnum.ro import cui

    return {"fr_FR": tva, "it_IT": iva, "ro_RO": cui, "lt_LT": pvm, "lv_LV": pvn, "de_DE": de_vat}


VAT_MODULES = _vat_modules()


def test_the_sixth_part_is_deterministic_and_its_identifiers_validate() -> None:
    from stdnum.fr import nir
    from stdnum.it import codicefiscale
    from stdnum.lt import asmens
    from stdnum.lv import pvn
    from stdnum.ro import cnp

    assert part_digest("corpus_heldout6") == part_digest("corpus_heldout6")
    validators = {"fr_FR": nir.is_valid, "it_IT": codicefiscale.is_valid, "ro_RO": cnp.is_valid,
                  "lt_LT": asmens.is_valid, "lv_LV": lambda v: pvn.is_valid(v.replace("-", ""))}
    for locale, is_valid in validators.items():
        source = scan_corpus.Source6(locale, f"unit|{locale}")
        assert all(is_valid(source.national_id()) for _ in range(50)), locale
        # the invoice table's company VAT numbers validate too (hard negatives with real check digits)
        vat = VAT_MODULES[locale]
        assert all(vat.is_valid(scan_corpus.company_number6(locale, source.rng)) for _ in range(50)), locale


def test_sepa_creditor_ids_and_rf_references_carry_real_mod_97_checks() -> None:
    import random

    from stdnum.iso7064 import mod_97_10

    rng = random.Random(7)
    for _ in range(50):
        creditor = scan_corpus.sepa_creditor_id(rng, "DE")
        national = creditor[7:]
        assert mod_97_10.is_valid(f"{national}{creditor[:4]}")
        reference = scan_corpus.rf_reference(rng).replace(" ", "")
        assert mod_97_10.is_valid(f"{reference[4:]}{reference[:4]}")


@pytest.mark.parametrize("part", sorted(scan_corpus.PARTS))
def test_no_measured_part_changes_after_it_was_committed(part: str) -> None:
    assert part_digest(part) == PINNED[part], (
        f"{part} generates other data than when it was measured: make changes to a measured part's "
        "generator as a new part, or re-measure and re-pin with the reason in BENCHMARKS.md")


PINNED = {  # at 6 rows per table; corpus_train may be re-pinned when training data is changed on purpose
    "corpus_heldout": "ea57733bb8f4ef546fbc873ee5edbb2eb7c533cd9c13cf6e26b604780aab5b5f",
    "corpus_heldout2": "5bcaa572c34055afa9d87ad356d1b8e8bad65338b0e1a0ada6275c8a6a2c7a5e",
    "corpus_heldout3": "17f7d64c18935e2924bef82d05d707afed8877d9672fb6d8342edb9382e64e8a",
    "corpus_heldout4": "6cef4714599c5a91e6811ed22c07c8d322730790d1625fa380445f5f0ea67ccc",
    "corpus_heldout5": "600b8e227e84ea537c74e0a2895037d6f987ad57cc13db6115a2bbf35937a833",
    "corpus_heldout6": "8271939611330d208ff5e2cbabb32e7395580306453972b9ff2456e730cba973",
    "corpus_train": "6cfd0315428ca87acb730ed55ff3bebbb5d4bdf1433c40aa5245c9c2ee12bfe7",
}
