"""The sixth round's rules of the PII scan: the personal identifiers of Kazakhstan, Mexico, Brazil, Australia,
Canada and Azerbaijan; every other person's identifier python-stdnum validates (a generic NATIONAL_ID);
domestic bank account numbers where a country has no IBAN; postcodes of countries outside Europe judged
in the table's region. Values are made by each rule's own definition (numbers with their check digits,
drawn at random), never taken from the benchmark. Each test removes its rule once (a mutation) and shows
the test would fail."""

from __future__ import annotations

import datetime as dt
import random
import string

import pytest

from governance.scan import decisions
from governance.scan.recognizers import address, national_ids, payment
from governance.scan.recognizers.company_ids import COMPANY_ID_MODULES
from tests.python.test_scan_recognizers import decided

N = 60


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _with_check(body: str, valid, digits: int = 1) -> str | None:
    return next((f"{body}{c:0{digits}d}" for c in range(10**digits) if valid(f"{body}{c:0{digits}d}")), None)


def _column(make, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < N:
        value = make(rng)
        if value and value not in out:
            out.append(value)
    return out


def _broken(values: list[str]) -> list[str]:
    """The same values with the last digit changed: the check no longer holds."""
    return [v[:-1] + str((int(v[-1]) + 1) % 10) for v in values]


def _birth(rng: random.Random) -> dt.date:
    return dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 30000))


# --- Kazakhstan: IIN --------------------------------------------------------------------------------


def _kz_check(body11: str) -> str | None:
    """The IIN/BIN check as the issuer defines it: weights 1..11 mod 11; at 10, weights 3..11, 1, 2."""
    digits = [int(c) for c in body11]
    check = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, [*range(3, 12), 1, 2], strict=True)) % 11
    return None if check == 10 else body11 + str(check)


def _kz_iin(rng: random.Random) -> str | None:
    born = _birth(rng)
    century = (3 if born.year < 2000 else 5) + rng.randint(0, 1)
    return _kz_check(f"{born:%y%m%d}{century}{_digits(rng, 4)}")


def _kz_bin(rng: random.Random) -> str | None:
    """A company's BIN: registration year and month, the type of the entity (4-6), its kind, a serial."""
    return _kz_check(f"{rng.randint(0, 24):02d}{rng.randint(1, 12):02d}{rng.choice('456')}{rng.choice('0123')}"
                     f"{_digits(rng, 5)}")


def test_kazakh_iin_by_its_birth_date_and_check(monkeypatch) -> None:
    people, companies = _column(_kz_iin), _column(_kz_bin)
    assert "KZ_IIN" in decided("c07", "VARCHAR", people)
    assert "KZ_IIN" not in decided("c07", "VARCHAR", _broken(people))
    assert decided("c07", "VARCHAR", companies) == set()  # the same check, no birth date: a company's
    # mutation: the birth date not required, the companies' BINs would be persons' IINs
    monkeypatch.setattr(national_ids, "kz_iin_valid", lambda text: len(text) == 12 and _kz_check(text[:11]) == text)
    assert "KZ_IIN" in decided("c07", "VARCHAR", companies)


# --- Mexico, Brazil, Australia, Canada --------------------------------------------------------------


def _curp(rng: random.Random) -> str | None:
    from stdnum.mx import curp

    born = _birth(rng)
    letters = rng.choice("BCDFGLMPRS") + rng.choice("AEIOU") + "".join(rng.choice("BCDFGLMNPRS") for _ in range(2))
    body = (f"{letters}{born:%y%m%d}{rng.choice('HM')}{rng.choice(('DF', 'JC', 'NL', 'PL', 'VZ'))}"
            f"{''.join(rng.choice('BCDFGHJKLMNPRSTVZ') for _ in range(3))}{'0' if born.year < 2000 else 'A'}")
    value = body + curp.calc_check_digit(body + "0")
    return value if curp.is_valid(value) else None


def _cpf(rng: random.Random) -> str | None:
    from stdnum.br import cpf

    value = _with_check(_digits(rng, 9), cpf.is_valid, 2)
    return value and f"{value[:3]}.{value[3:6]}.{value[6:9]}-{value[9:]}"


def _tfn(rng: random.Random) -> str | None:
    from stdnum.au import tfn

    value = _with_check(_digits(rng, 8), tfn.is_valid)
    return value and f"{value[:3]} {value[3:6]} {value[6:]}"


def _sin(rng: random.Random) -> str | None:
    from stdnum.ca import sin

    value = _with_check(rng.choice("1234567") + _digits(rng, 7), sin.is_valid)
    return value and f"{value[:3]}-{value[3:6]}-{value[6:]}"


@pytest.mark.parametrize(("entity", "make", "name"), [
    ("MX_CURP", _curp, "curp"), ("BR_CPF", _cpf, "cpf"), ("AU_TFN", _tfn, "tfn"), ("CA_SIN", _sin, "sin"),
])
def test_identifiers_of_mexico_brazil_australia_and_canada(entity: str, make, name: str, monkeypatch) -> None:
    values = _column(make)
    assert entity in decided("c07", "VARCHAR", values)
    assert entity in decided(name, "VARCHAR", values)
    assert entity not in decided("c07", "VARCHAR", _broken(values))
    # mutation: the check off, the broken numbers would count
    recognizer = next(r for r in national_ids.OTHER_COUNTRY_ID_RECOGNIZERS if r.entity == entity)
    monkeypatch.setattr(type(recognizer), "validate", lambda self, text: True)
    assert entity in decided("c07", "VARCHAR", _broken(values))


def test_a_company_number_is_not_a_persons() -> None:
    from stdnum.br import cnpj

    companies = _column(lambda rng: _with_check(_digits(rng, 8) + "0001", cnpj.is_valid, 2))
    assert decided("c07", "VARCHAR", companies) == set()


# --- Azerbaijan: FIN, no check digit ----------------------------------------------------------------


def test_azerbaijani_fin_needs_its_name(monkeypatch) -> None:
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
    fins = _column(lambda rng: "".join(rng.choice(alphabet) for _ in range(7)))
    assert "AZ_FIN" in decided("fin_kod", "VARCHAR", fins)
    assert decided("c07", "VARCHAR", fins) == set()  # any short code has that shape
    words = _column(lambda rng: rng.choice(("yeni", "kohne", "aktiv")) + _digits(rng, 3) + "x")
    assert "AZ_FIN" not in decided("fin_kod", "VARCHAR", words)  # the name alone claims nothing
    # mutation: the shape not required under the name, the name alone would claim the codes
    monkeypatch.setattr(decisions, "NAMED_SHAPE_ENTITIES", ())
    assert "AZ_FIN" in decided("fin_kod", "VARCHAR", words)


# --- every other person's identifier python-stdnum validates -----------------------------------------


def test_personal_modules_pass_few_random_numbers_of_their_shape() -> None:
    for module in national_ids.PERSONAL_ID_MODULES:
        assert national_ids.random_pass_rate(module, trials=400) <= national_ids.MAX_RANDOM_PASS_RATE, module
    for module in national_ids.TOO_PERMISSIVE_MODULES:
        assert national_ids.random_pass_rate(module, trials=400) > national_ids.MAX_RANDOM_PASS_RATE, module


def test_personal_modules_are_neither_companies_nor_covered_twice() -> None:
    dedicated = {m for r in (*national_ids.EUROPEAN_ID_RECOGNIZERS, *national_ids.OTHER_COUNTRY_ID_RECOGNIZERS)
                 for m in getattr(r, "modules", ())}
    assert not dedicated & set(national_ids.PERSONAL_ID_MODULES)
    assert not set(COMPANY_ID_MODULES) & set(national_ids.PERSONAL_ID_MODULES)


def _za_id(rng: random.Random) -> str | None:
    from stdnum.za import idnr

    return _with_check(f"{_birth(rng):%y%m%d}{_digits(rng, 4)}{rng.choice('01')}8", idnr.is_valid)


def _kr_rrn(rng: random.Random) -> str | None:
    from stdnum.kr import rrn

    born = _birth(rng)
    value = _with_check(f"{born:%y%m%d}{rng.choice('12' if born.year < 2000 else '34')}{_digits(rng, 5)}", rrn.is_valid)
    return value and f"{value[:6]}-{value[6:]}"


def _cn_ric(rng: random.Random) -> str | None:
    from stdnum.cn import ric

    return _with_check(f"{rng.choice(('110101', '310104', '440305'))}{_birth(rng):%Y%m%d}{_digits(rng, 3)}", ric.is_valid)


@pytest.mark.parametrize("make", [_za_id, _kr_rrn, _cn_ric], ids=["za.idnr", "kr.rrn", "cn.ric"])
def test_other_personal_identifiers_are_national_ids(make, monkeypatch) -> None:
    values = _column(make)
    assert "NATIONAL_ID" in decided("c07", "VARCHAR", values)
    assert "NATIONAL_ID" in decided("c07", "BIGINT", [v.replace("-", "") for v in values if v[0] != "0"])
    assert decided("c07", "VARCHAR", _broken(values)) == set()
    # mutation: without the generic rule the column is not personal
    monkeypatch.setattr(national_ids, "PERSONAL_ID_MODULES", {})
    assert "NATIONAL_ID" not in decided("c07", "VARCHAR", values)


def test_card_numbers_are_not_a_modules_of_another_length(monkeypatch) -> None:
    cards = _column(lambda rng: _with_check("4" + _digits(rng, 14), payment.luhn_ok))
    assert decided("c07", "VARCHAR", cards) == {"CREDIT_CARD"}
    assert decided("c07", "BIGINT", cards) == {"CREDIT_CARD"}
    # mutation: without the documented lengths, the Portuguese citizen card's check (Luhn's over any
    # length) would call card numbers national identifiers
    monkeypatch.setattr(national_ids, "module_lengths", lambda module: frozenset(range(4, 30)))
    monkeypatch.setattr(decisions, "drop_generic_identifier", lambda found: found)
    assert "NATIONAL_ID" in decided("c07", "VARCHAR", cards)


# --- bank accounts without an IBAN ------------------------------------------------------------------


def _clabe(rng: random.Random) -> str:
    body = rng.choice(("002", "012", "014", "021", "072")) + _digits(rng, 14)
    total = sum(int(d) * w % 10 for d, w in zip(body, [3, 7, 1] * 6, strict=False))
    return body + str((10 - total % 10) % 10)


def test_mexican_clabe_by_its_check(monkeypatch) -> None:
    accounts = _column(_clabe)
    assert all(payment.clabe_valid(v) for v in accounts)
    assert decided("c07", "VARCHAR", accounts) == {"BANK_ACCOUNT"}
    assert decided("c07", "VARCHAR", _broken(accounts)) == set()
    monkeypatch.setattr(payment, "BANK_ACCOUNT_FORMS",
                        tuple((n, r, None, s) if n == "MX CLABE" else (n, r, c, s)
                              for n, r, c, s in payment.BANK_ACCOUNT_FORMS))
    assert "BANK_ACCOUNT" in decided("c07", "VARCHAR", _broken(accounts))


def test_routing_code_and_account_are_a_bank_account_the_routing_code_alone_is_not(monkeypatch) -> None:
    bsb_account = _column(lambda rng: f"{rng.choice('0123')}{_digits(rng, 2)}-{_digits(rng, 3)} {_digits(rng, 8)}")
    bsb = _column(lambda rng: f"{rng.choice('0123')}{_digits(rng, 2)}-{_digits(rng, 3)}")
    canadian = _column(lambda rng: f"00{rng.randint(1, 9)}-{_digits(rng, 5)}-{_digits(rng, 7)}")
    transit = _column(lambda rng: f"{_digits(rng, 5)}-00{rng.randint(1, 9)}")
    assert decided("c07", "VARCHAR", bsb_account, "AU") == {"BANK_ACCOUNT"}  # not phones
    assert decided("c07", "VARCHAR", canadian, "CA") == {"BANK_ACCOUNT"}
    assert decided("c07", "VARCHAR", bsb, "AU") == set()
    assert decided("c07", "VARCHAR", transit, "CA") == set()
    # mutation: without the BSB form the accounts are not found as accounts
    monkeypatch.setattr(payment, "BANK_ACCOUNT_FORMS",
                        tuple(f for f in payment.BANK_ACCOUNT_FORMS if f[0] != "AU BSB and account"))
    assert "BANK_ACCOUNT" not in decided("c07", "VARCHAR", bsb_account, "AU")


# --- postcodes outside Europe, in the table's region --------------------------------------------------


@pytest.mark.parametrize(("region", "make"), [
    ("BR", lambda rng: f"{rng.randint(1, 99999):05d}-{_digits(rng, 3)}"),
    ("MX", lambda rng: f"{rng.randint(1000, 99999):05d}"),
    ("AZ", lambda rng: f"AZ{rng.randint(1000, 6999)}"),
    ("KZ", lambda rng: f"{rng.randint(10000, 199999):06d}"),
])
def test_postcodes_of_the_tables_region(region: str, make, monkeypatch) -> None:
    codes = _column(make)
    assert "POSTAL_CODE" in decided("c07", "VARCHAR", codes, region)
    assert "POSTAL_CODE" not in decided("c07", "VARCHAR", codes, None)
    monkeypatch.delitem(address._REGION_POSTCODE, region)
    assert "POSTAL_CODE" not in decided("c07", "VARCHAR", codes, region)
