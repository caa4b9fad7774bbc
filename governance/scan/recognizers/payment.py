"""Payment cards (Luhn), bank accounts (IBAN with mod-97) and bank identifiers (BIC)."""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers

from governance.scan.recognizers.base import Hit, Pattern, ValueRecognizer, compiled_regex


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


_CARD_PREFIX = re.compile(r"^(4|5[1-5]|2[2-7]|3[47]|3[0689]|6[0-9]|1800|2131|35)")
# the lengths each network issues (ISO/IEC 7812 ranges): Visa 13, 16 or 19; Mastercard 16 (Mir, 2200-2204,
# up to 19); American Express 15; Diners 14-19; JCB 16-19 (1800, 2131: 15); Discover, Maestro, UnionPay
# 12-19. A number of another length with a network's prefix and Luhn's check is not that network's card
# (a French SIRET is 14 digits with Luhn's check)
_CARD_LENGTHS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = (
    (re.compile(r"^4"), frozenset({13, 16, 19})),
    (re.compile(r"^220[0-4]"), frozenset(range(16, 20))),
    (re.compile(r"^(5[1-5]|2[2-7])"), frozenset({16})),
    (re.compile(r"^3[47]"), frozenset({15})),
    (re.compile(r"^35"), frozenset(range(16, 20))),
    (re.compile(r"^3[0689]"), frozenset(range(14, 20))),
    (re.compile(r"^(1800|2131)"), frozenset({15})),
    (re.compile(r"^6"), frozenset(range(12, 20))),
)


def card_length_ok(digits: str) -> bool:
    """Whether the number's length is one its network issues (the first rule whose prefix matches)."""
    for prefix, lengths in _CARD_LENGTHS:
        if prefix.match(digits):
            return len(digits) in lengths
    return False


class CreditCardRecognizer(ValueRecognizer):
    """13 to 19 digits (19-digit Visa, Mastercard 2-series, Maestro) with a card network's prefix and
    the Luhn check."""

    entity = "CREDIT_CARD"
    names = (
        r"card_?number|card_?no|card_?num|cc_?number|ccnum|credit_?card|pan|card_?pan|payment_?card|"
        r"kartennummer|kreditkarte|num_?carte|carte_?bancaire|numero_?carta|carta|tarjeta|num_?tarjeta|"
        r"kaartnummer|creditcard|nr_?karty|karta"
    )
    numeric_ok = True
    free_text = True
    needs_validation = True
    patterns = (Pattern("card 13-19 digits", r"\b(?:\d[ -]?){12,18}\d\b", 0.3),)

    def pretest(self, value: str, digits: int) -> bool:
        return digits >= 13

    def validate(self, text: str) -> bool | None:
        digits = re.sub(r"\D", "", text)
        return 13 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits)) and card_length_ok(digits) \
            and luhn_ok(digits)


# IBAN lengths of the SEPA countries (others: any length from 15 to 34)
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18,
    "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24,
}


def iban_registry_lists(country: str) -> bool:
    """Whether python-stdnum's IBAN registry has the account structure of `country`."""
    from stdnum import iban

    return bool(iban._ibandb.info(f"{country}00")[0][1])


_COUNTRY_CODES = frozenset(phonenumbers.SUPPORTED_REGIONS)  # ISO 3166 alpha-2


class IbanRecognizer(ValueRecognizer):
    entity = "IBAN_CODE"
    names = (
        r"iban|iban_?code|bank_?account|account_?iban|rekeningnummer|nr_?konta|numer_?konta|cuenta_?bancaria|"
        r"conto|bankverbindung|kontonummer"
    )
    free_text = True
    needs_validation = True
    patterns = (Pattern("iban", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}\b", 0.5),)

    def pretest(self, value: str, digits: int) -> bool:
        # two check digits and at least two more: a Latvian or Romanian account may be mostly letters
        return digits >= 4 and len(value) >= 14

    def validate(self, text: str) -> bool | None:
        """The ISO 13616 mod-97 check, and the account's structure in the IBAN registry of its country
        (length, and where digits or letters stand): other references carry the same check (an ISO 11649
        `RF` creditor reference, a SEPA creditor identifier `DE98ZZZ...`) and are not accounts. A prefix
        the registry does not list counts when it is a country (a new IBAN country: fail closed) and the
        length is an IBAN's. National check digits inside the account number are not required: the IBAN's
        own check is what identifies an account number."""
        from stdnum import iban
        from stdnum.iso7064 import mod_97_10

        compact = text.replace(" ", "").upper()
        if iban_registry_lists(compact[:2]):
            return iban.is_valid(compact, check_country=False)  # the mod-97 check and the structure
        if not mod_97_10.is_valid(compact[4:] + compact[:4]):
            return False
        length = IBAN_LENGTHS.get(compact[:2])
        return compact[:2] in _COUNTRY_CODES and (len(compact) == length if length else 15 <= len(compact) <= 34)


class SwiftCodeRecognizer(ValueRecognizer):
    """BIC (ISO 9362): bank, country and location codes (8 or 11 characters) with a real country."""

    entity = "SWIFT_CODE"
    names = r"bic|swift|swift_?code|bic_?code|bank_?code"
    needs_validation = True
    patterns = (Pattern("bic", r"\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b", 0.5),)

    def pretest(self, value: str, digits: int) -> bool:
        v = value.strip()
        return len(v) in (8, 11) and v.isupper()

    def validate(self, text: str) -> bool | None:
        from stdnum import bic

        return bic.is_valid(text)


def clabe_valid(text: str) -> bool:
    """Mexican CLABE: bank (3), branch (3), account (11) and a check digit: the digits weighted 3, 7, 1
    (each product taken mod 10), the check making the sum a multiple of ten."""
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{18}", digits):
        return False
    total = sum(int(d) * w % 10 for d, w in zip(digits[:17], [3, 7, 1] * 6, strict=False))
    return (10 - total % 10) % 10 == int(digits[17])


def _stdnum_check(module: str) -> Callable[[str], bool]:
    """A python-stdnum module's validator, imported on first use."""
    import importlib

    def valid(text: str) -> bool:
        try:
            return bool(importlib.import_module(f"stdnum.{module}").is_valid(text))
        except Exception:  # a validator that trips on a malformed value is a rejection
            return False

    return valid


def _us_routing_and_account(text: str) -> bool:
    return _stdnum_check("us.rtn")(re.split(r"[\s/-]", text, maxsplit=1)[0])


# national account numbers where the country has no IBAN (or writes the domestic form): (name, regex,
# check or None, score). With a check the score is 1.0 when it holds; without one the form itself is
# distinctive (a routing code and an account number in the order and grouping the country writes them)
# and the score stands. A routing code alone (a BSB `062-000`, a transit number) is a bank's, not this.
BANK_ACCOUNT_FORMS: tuple[tuple[str, str, Callable[[str], bool] | None, float], ...] = (
    ("MX CLABE", r"\b\d{3}[ -]?\d{3}[ -]?\d{11}[ -]?\d\b", clabe_valid, 1.0),
    ("AR CBU", r"\b\d{8}[ -]?\d{14}\b", _stdnum_check("ar.cbu"), 1.0),
    ("ES CCC", r"\b\d{4}[ -]?\d{4}[ -]?\d{2}[ -]?\d{10}\b", _stdnum_check("es.ccc"), 1.0),
    ("NZ account", r"\b\d{2}-\d{4}-\d{7}-\d{2,3}\b", _stdnum_check("nz.bankaccount"), 1.0),
    ("CZ account", r"(?<![\d-])(?:\d{1,6}-)?\d{2,10}/\d{4}\b", _stdnum_check("cz.bankaccount"), 1.0),
    ("US routing and account", r"\b\d{9}[ /-]\d{4,17}\b", _us_routing_and_account, 1.0),
    ("AU BSB and account", r"\b\d{3}-\d{3}[ /-]\d{5,10}\b", None, 0.8),
    ("GB sort code and account", r"\b\d{2}-\d{2}-\d{2}[ /]\d{8}\b", None, 0.8),
    ("CA institution, transit and account", r"\b\d{3}-\d{5}-\d{7,12}\b", None, 0.8),
    ("CA transit, institution and account", r"\b\d{5}-\d{3}-\d{7,12}\b", None, 0.8),
)


class BankAccountRecognizer(ValueRecognizer):
    """A domestic bank account number (`BANK_ACCOUNT_FORMS`): a check where the country defines one, else
    the routing code and account number in the country's own grouping. (IBANs are `IbanRecognizer`'s.)"""

    entity = "BANK_ACCOUNT"
    names = (
        r"bank_?acct|bank_?account_?(?:number|no|nr|num)|acct_?(?:no|number|num)|bsb_?(?:acct|account)|clabe|"
        r"cuenta_?clabe|clabe_?interbancaria|numero_?de_?cuenta|num_?cuenta|conta_?bancaria|conta_?corrente|"
        r"numero_?da_?conta|direct_?deposit_?account"
    )
    needs_validation = False

    def pretest(self, value: str, digits: int) -> bool:
        return 10 <= digits <= 26 and len(value) <= 40

    def analyze(self, value: str, region: str | None = None) -> list[Hit]:
        hits = []
        length = len(value.strip()) or 1
        for _, regex, check, score in BANK_ACCOUNT_FORMS:
            for match in compiled_regex(regex).finditer(value):
                if check is not None and not check(match.group()):
                    continue
                whole = (match.end() - match.start()) >= 0.8 * length
                hits.append(Hit(self.entity, match.start(), match.end(), score, whole))
        return hits

