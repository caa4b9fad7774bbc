"""National identifiers, each with its checksum (python-stdnum): a match counts only when it validates."""

from __future__ import annotations

import re

from governance.scan.recognizers.base import Pattern, ValueRecognizer


class NationalIdRecognizer(ValueRecognizer):
    needs_validation = True
    numeric_ok = True
    min_digits = 8

    def pretest(self, value: str, digits: int) -> bool:
        return digits >= self.min_digits and len(value) <= 40


class UsSsnRecognizer(NationalIdRecognizer):
    """US SSN: dashed or spaced groups by value; nine bare digits only under a column name that says so."""

    entity = "US_SSN"
    names = r"ssn|social_?security|social_?security_?number"
    patterns = (Pattern("ssn", r"\b\d{3}[- ]\d{2}[- ]\d{4}\b", 0.5),)
    min_digits = 9

    def validate(self, text: str) -> bool | None:
        from stdnum.us import ssn

        return ssn.is_valid(text.replace(" ", "-"))


class DeTaxIdRecognizer(NationalIdRecognizer):
    entity = "DE_TAX_ID"
    names = r"steuer_?id|steuer_?idnr|steueridentifikationsnummer|tax_?id|idnr|steuernummer"
    patterns = (Pattern("idnr", r"\b[1-9]\d(?: ?\d{3}){3}\b", 0.3),)
    min_digits = 11

    def validate(self, text: str) -> bool | None:
        from stdnum.de import idnr

        return idnr.is_valid(text)


class FrNirRecognizer(NationalIdRecognizer):
    """French social security number (NIR), 13 digits and a 2-digit key."""

    entity = "FR_NIR"
    names = r"nir|num_?secu|numero_?securite_?sociale|securite_?sociale|insee"
    patterns = (Pattern("nir", r"\b[12](?: ?\d){2}(?: ?(?:\d|2[AB])){4}(?: ?\d){8}\b", 0.3),)
    min_digits = 13

    def validate(self, text: str) -> bool | None:
        from stdnum.fr import nir

        return nir.is_valid(text)


class ItFiscalCodeRecognizer(NationalIdRecognizer):
    entity = "IT_FISCAL_CODE"
    names = r"codice_?fiscale|cod_?fisc|cf|fiscal_?code"
    patterns = (Pattern("codice fiscale", r"\b[A-Za-z]{6}[0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{3}[A-Za-z]\b", 0.5),)
    min_digits = 0
    numeric_ok = False

    def pretest(self, value: str, digits: int) -> bool:
        return 16 <= len(value) <= 40 and digits >= 2

    def validate(self, text: str) -> bool | None:
        from stdnum.it import codicefiscale

        return codicefiscale.is_valid(text)


class EsNifRecognizer(NationalIdRecognizer):
    """Spanish DNI (8 digits and a letter) and NIE (X/Y/Z, 7 digits and a letter)."""

    entity = "ES_NIF"
    names = r"dni|nie|nif|documento_?identidad|num_?documento"
    patterns = (Pattern("dni/nie", r"\b[XYZxyz]?\d{7,8}-?[A-Za-z]\b", 0.4),)
    min_digits = 7
    numeric_ok = False

    def validate(self, text: str) -> bool | None:
        from stdnum.es import dni, nie

        return dni.is_valid(text) or nie.is_valid(text)


class NlBsnRecognizer(NationalIdRecognizer):
    entity = "NL_BSN"
    names = r"bsn|burgerservicenummer|sofi_?nummer"
    patterns = (Pattern("bsn", r"\b\d{4}\.?\d{2}\.?\d{3}\b", 0.2),)
    min_digits = 9

    def validate(self, text: str) -> bool | None:
        from stdnum.nl import bsn

        return bsn.is_valid(text)


class PlPeselRecognizer(NationalIdRecognizer):
    entity = "PL_PESEL"
    names = r"pesel|numer_?pesel"
    patterns = (Pattern("pesel", r"\b\d{11}\b", 0.3),)
    min_digits = 11

    def validate(self, text: str) -> bool | None:
        from stdnum.pl import pesel

        return pesel.is_valid(text)


_NINO = re.compile(r"^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


class UkNinoRecognizer(NationalIdRecognizer):
    """UK National Insurance number: two prefix letters (the allocated ones), six digits, A-D."""

    entity = "UK_NINO"
    names = r"nino|ni_?number|ni_?no|national_?insurance(_?number)?"
    patterns = (Pattern("nino", r"\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]\b", 0.4),)
    min_digits = 6
    numeric_ok = False

    def validate(self, text: str) -> bool | None:
        return bool(_NINO.match(text.replace(" ", "").upper()))
