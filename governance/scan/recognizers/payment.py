"""Payment cards (Luhn), bank accounts (IBAN with mod-97) and bank identifiers (BIC)."""

from __future__ import annotations

import re

from governance.scan.recognizers.base import Pattern, ValueRecognizer


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


_CARD_PREFIX = re.compile(r"^(4|5[1-5]|2[2-7]|3[47]|3[0689]|6[0-9]|1800|2131|35)")


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
        return 13 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits)) and luhn_ok(digits)


# IBAN lengths of the SEPA countries (others: any length from 15 to 34)
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18,
    "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24,
}


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
        return digits >= 6 and len(value) >= 14

    def validate(self, text: str) -> bool | None:
        """The ISO 13616 mod-97 check and the country's IBAN length. National check digits inside the
        account number are not required: the IBAN's own check is what identifies an account number."""
        from stdnum.iso7064 import mod_97_10

        compact = text.replace(" ", "").upper()
        length = IBAN_LENGTHS.get(compact[:2])
        if length is not None and len(compact) != length:
            return False
        return mod_97_10.is_valid(compact[4:] + compact[:4])


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
