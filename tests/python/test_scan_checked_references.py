"""Identifiers whose check digits another kind of number shares: the Lithuanian personal code (the Estonian
form and check), the Latvian personal code (validated in python-stdnum's VAT module, as a legal entity's
number is), references checked by mod 97 like an IBAN (ISO 11649 RF creditor references, SEPA creditor
identifiers) and numbers with Luhn's check in a card network's range but not of its lengths (a French
SIRET). Values are made by each rule's own definition, drawn at random; each test removes its rule once
(a mutation) and shows the test would fail."""

from __future__ import annotations

import random
import string

from stdnum import iban as std_iban
from stdnum.iso7064 import mod_97_10

from governance.scan.recognizers import payment
from tests.python.test_scan_national_ids import _birth, _column, _digits, _with_check
from tests.python.test_scan_recognizers import decided


def _lt_code(rng: random.Random) -> str | None:
    from stdnum.lt import asmens

    born = _birth(rng)
    century = (3 if born.year < 2000 else 5) + rng.randint(0, 1)
    return _with_check(f"{century}{born:%y%m%d}{_digits(rng, 3)}", asmens.is_valid)


def _lv_code(rng: random.Random) -> str | None:
    from stdnum.lv import pvn

    born = _birth(rng)
    value = _with_check(f"{born:%d%m%y}{1 if born.year < 2000 else 2}{_digits(rng, 3)}", pvn.is_valid)
    return value and (f"{value[:6]}-{value[6:]}" if rng.random() < 0.5 else value)


def _lv_company(rng: random.Random) -> str | None:
    from stdnum.lv import pvn

    return _with_check(str(rng.randint(4, 9)) + _digits(rng, 9), pvn.is_valid)


def test_lithuanian_codes_are_lithuanian_in_a_lithuanian_table(monkeypatch) -> None:
    codes = _column(_lt_code)
    assert decided("c07", "VARCHAR", codes, "LT") == {"LT_PERSONAL_CODE"}
    assert decided("c07", "VARCHAR", codes, "EE") == {"EE_PERSONAL_CODE"}
    assert decided("asmens_kodas", "VARCHAR", codes) >= {"LT_PERSONAL_CODE"}  # no region: both are kept
    # mutation: without the Lithuanian recognizer, a Lithuanian table's codes were the Estonian entity
    from governance.scan import decisions

    monkeypatch.setattr(decisions, "prefer_regional_identifier", lambda found, part: found)
    assert decided("c07", "VARCHAR", codes, "LT") == {"LT_PERSONAL_CODE", "EE_PERSONAL_CODE"}


def test_latvian_personal_codes_and_not_latvian_company_numbers(monkeypatch) -> None:
    from governance.scan.recognizers import national_ids

    codes = _column(_lv_code)
    assert "LV_PERSONAL_CODE" in decided("c07", "VARCHAR", codes, "LV")
    assert "LV_PERSONAL_CODE" in decided("personas_kods", "VARCHAR", codes)
    # a legal entity's registration number passes the same module's check: not a person's code
    assert "LV_PERSONAL_CODE" not in decided("c07", "VARCHAR", _column(_lv_company), "LV")
    # broken check digits: no identifier
    broken = [c[:-1] + str((int(c[-1]) + 1) % 10) for c in codes]
    assert "LV_PERSONAL_CODE" not in decided("c07", "VARCHAR", broken, "LV")
    # mutation: without the recognizer the column was found as nothing
    monkeypatch.setattr(national_ids.LvPersonalCodeRecognizer, "validate", lambda self, text: False)
    assert "LV_PERSONAL_CODE" not in decided("c07", "VARCHAR", codes, "LV")


def _mod97(body: str) -> str:
    number = "".join(str(int(c, 36)) for c in body)
    return f"{98 - int(number) % 97:02d}"


def _rf_reference(rng: random.Random) -> str:
    ref = "".join(rng.choice(string.digits + string.ascii_uppercase) for _ in range(rng.randint(6, 21)))
    return f"RF{_mod97(ref + 'RF00')}{ref}"


def _creditor_id(rng: random.Random) -> str:
    country = rng.choice(("DE", "FR", "IT", "NL", "AT", "LT"))
    national = _digits(rng, rng.randint(6, 12))
    return f"{country}{_mod97(national + country + '00')}{rng.choice(('ZZZ', '000'))}{national}"


def _iban(rng: random.Random) -> str:
    country = rng.choice(("DE", "FR", "IT", "LV", "RO", "LT", "PL", "ES"))
    bban = {"DE": lambda: _digits(rng, 18), "FR": lambda: _digits(rng, 10) + _digits(rng, 11) + _digits(rng, 2),
            "IT": lambda: rng.choice(string.ascii_uppercase) + _digits(rng, 22),
            "LV": lambda: "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
            + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(13)),
            "RO": lambda: "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
            + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
            "LT": lambda: _digits(rng, 16), "PL": lambda: _digits(rng, 24), "ES": lambda: _digits(rng, 20)}[country]()
    return f"{country}{std_iban.calc_check_digits(f'{country}00{bban}')}{bban}"


def test_references_checked_like_an_iban_are_not_accounts(monkeypatch) -> None:
    references = _column(_rf_reference)
    creditors = _column(_creditor_id)
    ibans = _column(_iban)
    assert all(mod_97_10.is_valid(v[4:] + v[:4]) for v in references)  # the IBAN's own check passes
    assert all(mod_97_10.is_valid(v[7:] + v[:4]) for v in creditors)  # over all but the business code
    assert decided("c07", "VARCHAR", references) == set()
    assert decided("c07", "VARCHAR", creditors) == set()
    assert decided("c07", "VARCHAR", ibans) == {"IBAN_CODE"}
    assert decided("c07", "VARCHAR", [" ".join(v[i:i + 4] for i in range(0, len(v), 4)) for v in ibans]) == {"IBAN_CODE"}
    # an IBAN country the registry does not list yet still counts (fail closed), a non-country does not
    unlisted = payment.IbanRecognizer()
    monkeypatch.setattr(payment, "iban_registry_lists", lambda country: False)
    assert all(unlisted.validate(v) for v in ibans)
    assert not any(unlisted.validate(v) for v in references)
    # mutation: the check alone (the rule before) took the references for accounts
    monkeypatch.setattr(payment.IbanRecognizer, "validate",
                        lambda self, text: mod_97_10.is_valid(text[4:] + text[:4]))
    assert decided("c07", "VARCHAR", references) == {"IBAN_CODE"}


def _siret(rng: random.Random) -> str | None:
    from stdnum.fr import siret

    # registry numbers in a card network's range (4: Visa, 51-55: Mastercard), of 14 digits
    siren = _with_check(rng.choice(("4", "51", "52", "53", "54", "55")) + _digits(rng, 6), payment.luhn_ok)
    siren = siren if siren and len(siren) == 9 else None
    return siren and _with_check(siren + _digits(rng, 4), lambda v: payment.luhn_ok(v) and siret.is_valid(v))


def test_luhn_numbers_of_lengths_no_network_issues_are_not_cards(monkeypatch) -> None:
    sirets = _column(_siret)
    assert all(payment.luhn_ok(v) for v in sirets)
    assert decided("c07", "VARCHAR", sirets) == set()
    cards = _column(lambda rng: _with_check(rng.choice(("4", "51", "2221", "6011", "35", "36")) + _digits(rng, 12)
                                            + ("" if rng.random() < 0.5 else _digits(rng, 2)), payment.luhn_ok))
    cards = [c for c in cards if payment.card_length_ok(c)]
    assert len(cards) >= 20 and decided("c07", "VARCHAR", cards) == {"CREDIT_CARD"}
    assert payment.card_length_ok("36227206271667")  # a 14-digit Diners card stays a card
    # mutation: without the network lengths the registry numbers were cards
    monkeypatch.setattr(payment, "card_length_ok", lambda digits: True)
    assert decided("c07", "VARCHAR", sirets) == {"CREDIT_CARD"}
