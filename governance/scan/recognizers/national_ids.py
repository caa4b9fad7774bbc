"""National identifiers, each with its checksum (python-stdnum): a match counts only when it validates."""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any, ClassVar

from governance.scan.recognizers.base import Pattern, ValueRecognizer


class NationalIdRecognizer(ValueRecognizer):
    needs_validation = True
    numeric_ok = True
    min_digits = 8

    def pretest(self, value: str, digits: int) -> bool:
        return digits >= self.min_digits and len(value) <= 40


class StdnumIdRecognizer(NationalIdRecognizer):
    """An identifier python-stdnum validates: a pattern, the column words, and a match counts when one of
    `modules` says it is valid (its checksum, and the birth date the number embeds where it has one)."""

    modules: ClassVar[tuple[str, ...]] = ()  # its python-stdnum module(s); several for several forms (DNI, NIE)

    def validate(self, text: str) -> bool | None:
        return any(_stdnum_valid(module, text) for module in self.modules)


class UsSsnRecognizer(NationalIdRecognizer):
    """US SSN: dashed or spaced groups by value; nine bare digits only under a column name that says so."""

    entity = "US_SSN"
    names = r"ssn|social_?security|social_?security_?number"
    patterns = (Pattern("ssn", r"\b\d{3}[- ]\d{2}[- ]\d{4}\b", 0.5),)
    min_digits = 9

    def validate(self, text: str) -> bool | None:
        from stdnum.us import ssn

        return ssn.is_valid(text.replace(" ", "-"))


class DeTaxIdRecognizer(StdnumIdRecognizer):
    entity = "DE_TAX_ID"
    names = r"steuer_?id|steuer_?idnr|steueridentifikationsnummer|tax_?id|idnr|steuernummer"
    patterns = (Pattern("idnr", r"\b[1-9]\d(?: ?\d{3}){3}\b", 0.3),)
    min_digits = 11
    modules = ("de.idnr",)


class FrNirRecognizer(StdnumIdRecognizer):
    """French social security number (NIR), 13 digits and a 2-digit key."""

    entity = "FR_NIR"
    names = r"nir|num_?secu|numero_?securite_?sociale|securite_?sociale|insee"
    patterns = (Pattern("nir", r"\b[12](?: ?\d){2}(?: ?(?:\d|2[AB])){4}(?: ?\d){8}\b", 0.3),)
    min_digits = 13
    modules = ("fr.nir",)


class ItFiscalCodeRecognizer(StdnumIdRecognizer):
    entity = "IT_FISCAL_CODE"
    names = r"codice_?fiscale|cod_?fisc|cf|fiscal_?code"
    patterns = (Pattern("codice fiscale", r"\b[A-Za-z]{6}[0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{3}[A-Za-z]\b", 0.5),)
    min_digits = 0
    numeric_ok = False
    modules = ("it.codicefiscale",)

    def pretest(self, value: str, digits: int) -> bool:
        return 16 <= len(value) <= 40 and digits >= 2


class EsNifRecognizer(StdnumIdRecognizer):
    """Spanish DNI (8 digits and a letter) and NIE (X/Y/Z, 7 digits and a letter)."""

    entity = "ES_NIF"
    names = r"dni|nie|nif|documento_?identidad|num_?documento"
    patterns = (Pattern("dni/nie", r"\b[XYZxyz]?\d{7,8}-?[A-Za-z]\b", 0.4),)
    min_digits = 7
    numeric_ok = False
    modules = ("es.dni", "es.nie")


class NlBsnRecognizer(StdnumIdRecognizer):
    entity = "NL_BSN"
    names = r"bsn|burgerservicenummer|sofi_?nummer"
    patterns = (Pattern("bsn", r"\b\d{4}\.?\d{2}\.?\d{3}\b", 0.2),)
    min_digits = 9
    modules = ("nl.bsn",)


class PlPeselRecognizer(StdnumIdRecognizer):
    entity = "PL_PESEL"
    names = r"pesel|numer_?pesel"
    patterns = (Pattern("pesel", r"\b\d{11}\b", 0.3),)
    min_digits = 11
    modules = ("pl.pesel",)


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


# --- the other European personal identifiers (the EU/EEA, Switzerland): one class each, validated by
# python-stdnum's module for it (its checksum, and the birth date the number embeds where it has one)


@functools.cache
def _stdnum_module(module: str) -> Any:
    return importlib.import_module(f"stdnum.{module}")


def _stdnum_valid(module: str, text: str) -> bool:
    try:
        return bool(_stdnum_module(module).is_valid(text))
    except Exception:  # a validator that trips on a malformed date is a rejection, not a crash
        return False


class AtSocialSecurityRecognizer(StdnumIdRecognizer):
    """Austrian social insurance number: a serial with its check digit, then the birth date DDMMYY."""

    entity = "AT_SOCIAL_SECURITY"
    names = r"svnr|sv_?nr|sv_?nummer|sozialversicherungsnummer|versicherungsnummer"
    patterns = (Pattern("svnr", r"\b[1-9]\d{3} ?\d{6}\b", 0.3),)
    modules = ("at.vnr",)
    min_digits = 10


class BeNationalNumberRecognizer(StdnumIdRecognizer):
    entity = "BE_NATIONAL_NUMBER"
    names = r"rijksregisternummer|rrn|insz|niss|numero_?national|registre_?national|national_?number"
    patterns = (Pattern("nn", r"\b\d{2}\.?\d{2}\.?\d{2}[-. ]?\d{3}[. ]?\d{2}\b", 0.3),)
    modules = ("be.nn",)
    min_digits = 11


class BgEgnRecognizer(StdnumIdRecognizer):
    entity = "BG_EGN"
    names = r"egn|edinen_?grazhdanski_?nomer"
    patterns = (Pattern("egn", r"\b\d{10}\b", 0.2),)
    modules = ("bg.egn",)
    min_digits = 10


class ChAhvRecognizer(StdnumIdRecognizer):
    entity = "CH_AHV"
    names = r"ahv|ahv_?nr|ahv_?nummer|avs|avs_?no|sozialversicherungsnummer"
    patterns = (Pattern("ahv", r"\b756[. ]?\d{4}[. ]?\d{4}[. ]?\d{2}\b", 0.5),)
    modules = ("ch.ssn",)
    min_digits = 13


class CzBirthNumberRecognizer(StdnumIdRecognizer):
    """Czech and Slovak birth number (rodné číslo): YYMMDD, a slash, three or four digits."""

    entity = "CZ_BIRTH_NUMBER"
    names = r"rodne_?cislo|rodne_?c|rc|rodne_?cislo_?osoby|birth_?number"
    patterns = (Pattern("rc", r"\b\d{6}/?\d{3,4}\b", 0.3),)
    modules = ("cz.rc",)
    min_digits = 9


class DkCprRecognizer(StdnumIdRecognizer):
    entity = "DK_CPR"
    names = r"cpr|cpr_?nr|cpr_?nummer|personnummer"
    patterns = (Pattern("cpr", r"\b\d{6}-?\d{4}\b", 0.3),)
    modules = ("dk.cpr",)
    min_digits = 10


class EePersonalCodeRecognizer(StdnumIdRecognizer):
    """Estonian personal code (isikukood); the Lithuanian one (asmens kodas) has the same form and check."""

    entity = "EE_PERSONAL_CODE"
    names = r"isikukood|ik|asmens_?kodas"
    patterns = (Pattern("isikukood", r"\b[1-6]\d{10}\b", 0.3),)
    modules = ("ee.ik",)
    min_digits = 11


class FiHetuRecognizer(StdnumIdRecognizer):
    """Finnish personal identity code: DDMMYY, the century sign, a serial and a check character."""

    entity = "FI_HETU"
    names = r"hetu|henkilotunnus|sotu|personbeteckning"
    patterns = (Pattern("hetu", r"\b\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y]\b", 0.5),)
    modules = ("fi.hetu",)
    min_digits = 9
    numeric_ok = False


class GrAmkaRecognizer(StdnumIdRecognizer):
    entity = "GR_AMKA"
    names = r"amka"
    patterns = (Pattern("amka", r"\b\d{11}\b", 0.2),)
    modules = ("gr.amka",)
    min_digits = 11


class HrOibRecognizer(StdnumIdRecognizer):
    entity = "HR_OIB"
    names = r"oib"
    patterns = (Pattern("oib", r"\b\d{11}\b", 0.2),)
    modules = ("hr.oib",)
    min_digits = 11


class IePpsRecognizer(StdnumIdRecognizer):
    entity = "IE_PPS"
    names = r"pps|ppsn|pps_?no|pps_?number"
    patterns = (Pattern("pps", r"\b\d{7}[A-Wa-w][A-IWa-iw]?\b", 0.4),)
    modules = ("ie.pps",)
    min_digits = 7
    numeric_ok = False


class HuTaxIdRecognizer(StdnumIdRecognizer):
    """The Hungarian tax identification number of a person (adóazonosító jel): 8, the days from
    1867-01-01 to the birth, a serial, and a check digit (the digits weighted 1 to 9, mod 11, never 10).
    python-stdnum has the company number (`hu.anum`) only, so the check is here, on the same base."""

    entity = "HU_TAX_ID"
    names = r"adoazonosito(_?jel)?|adoazonosito_?szam"
    patterns = (Pattern("adoazonosito", r"\b8\d{9}\b", 0.3),)
    min_digits = 10

    def validate(self, text: str) -> bool | None:
        return hu_tax_id_valid(text)


def hu_tax_id_valid(text: str) -> bool:
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"8\d{9}", digits):
        return False
    check = sum(int(d) * weight for weight, d in enumerate(digits[:9], start=1)) % 11
    return check < 10 and check == int(digits[9])


class IsKennitalaRecognizer(StdnumIdRecognizer):
    entity = "IS_KENNITALA"
    names = r"kennitala|kt"
    patterns = (Pattern("kennitala", r"\b\d{6}-?\d{4}\b", 0.3),)
    modules = ("is_.kennitala",)
    min_digits = 10


class NoBirthNumberRecognizer(StdnumIdRecognizer):
    entity = "NO_BIRTH_NUMBER"
    names = r"fodselsnummer|fnr|personnummer"
    patterns = (Pattern("fnr", r"\b\d{6} ?\d{5}\b", 0.3),)
    modules = ("no.fodselsnummer",)
    min_digits = 11


class PtNifRecognizer(StdnumIdRecognizer):
    """Portuguese tax number (NIF), nine digits with a mod-11 check digit: also a company's (NIPC)."""

    entity = "PT_NIF"
    names = r"nif|contribuinte|num_?contribuinte|numero_?contribuinte|nipc"
    patterns = (Pattern("nif", r"\b\d{3} ?\d{3} ?\d{3}\b", 0.2),)
    modules = ("pt.nif",)
    min_digits = 9


class RoCnpRecognizer(StdnumIdRecognizer):
    entity = "RO_CNP"
    names = r"cnp|cod_?numeric_?personal"
    patterns = (Pattern("cnp", r"\b[1-9]\d{12}\b", 0.3),)
    modules = ("ro.cnp",)
    min_digits = 13


class SePersonnummerRecognizer(StdnumIdRecognizer):
    entity = "SE_PERSONNUMMER"
    names = r"personnummer|personnr|pnr|samordningsnummer"
    patterns = (Pattern("personnummer", r"\b(?:\d{2})?\d{6}[-+]?\d{4}\b", 0.3),)
    modules = ("se.personnummer",)
    min_digits = 10


class SiEmsoRecognizer(StdnumIdRecognizer):
    entity = "SI_EMSO"
    names = r"emso"
    patterns = (Pattern("emso", r"\b\d{13}\b", 0.2),)
    modules = ("si.emso",)
    min_digits = 13


class TrIdentityNumberRecognizer(StdnumIdRecognizer):
    """Turkish identity number (T.C. kimlik numarası): eleven digits, the first not 0, two check digits.
    (The company tax number, VKN, has ten digits: not this.)"""

    entity = "TR_IDENTITY_NUMBER"
    names = r"tc_?kimlik(_?no)?|kimlik_?no|tckn|tc_?no"
    patterns = (Pattern("tckn", r"\b[1-9]\d{10}\b", 0.3),)
    modules = ("tr.tckimlik",)
    min_digits = 11


class UaRnokppRecognizer(StdnumIdRecognizer):
    """Ukrainian individual tax number (RNOKPP, formerly INN): ten digits, the first five the days from
    1899-12-31 to the birth, a check digit. (A company's EDRPOU code has eight digits: not this.)"""

    entity = "UA_RNOKPP"
    names = r"rnokpp|ipn|inn_?fl|identyfikatsiinyi_?kod|kod_?platnyka"
    patterns = (Pattern("rnokpp", r"\b\d{10}\b", 0.2),)
    modules = ("ua.rntrc",)
    min_digits = 10


class RuPersonalInnRecognizer(StdnumIdRecognizer):
    """A person's Russian taxpayer number (INN): twelve digits with two check digits. A company's INN has
    ten digits and is not personal: only the twelve-digit form is this entity."""

    entity = "RU_INN"
    names = r"inn|inn_?fl|inn_?fiz|inn_?physical"
    patterns = (Pattern("inn", r"\b\d{12}\b", 0.2),)
    modules = ("ru.inn",)
    min_digits = 12

    def validate(self, text: str) -> bool | None:
        digits = re.sub(r"\D", "", text)
        return len(digits) == 12 and _stdnum_valid("ru.inn", digits)


class RuSnilsRecognizer(StdnumIdRecognizer):
    """Russian individual insurance account number (SNILS): `123-456-789 01`, nine digits and a check of
    two (the digits weighted 9 to 1, mod 101, 100 read as 00). python-stdnum has no module for it, so the
    check is here, on the same base."""

    entity = "RU_SNILS"
    names = r"snils|strakhovoy_?nomer|snils_?nomer"
    patterns = (Pattern("snils", r"\b\d{3}-?\d{3}-?\d{3}[ -]?\d{2}\b", 0.3),)
    min_digits = 11

    def validate(self, text: str) -> bool | None:
        return ru_snils_valid(text)


def ru_snils_valid(text: str) -> bool:
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{11}", digits) or int(digits[:9]) <= 1001998:  # numbers issued from 001-001-999
        return False
    check = sum(int(d) * weight for d, weight in zip(digits[:9], range(9, 0, -1), strict=True)) % 101
    return (0 if check == 100 else check) == int(digits[9:])


EUROPEAN_ID_RECOGNIZERS: tuple[StdnumIdRecognizer, ...] = (
    AtSocialSecurityRecognizer(), BeNationalNumberRecognizer(), BgEgnRecognizer(), ChAhvRecognizer(),
    CzBirthNumberRecognizer(), DkCprRecognizer(), EePersonalCodeRecognizer(), FiHetuRecognizer(),
    GrAmkaRecognizer(), HrOibRecognizer(), HuTaxIdRecognizer(), IePpsRecognizer(), IsKennitalaRecognizer(),
    NoBirthNumberRecognizer(), PtNifRecognizer(), RoCnpRecognizer(), SePersonnummerRecognizer(), SiEmsoRecognizer(),
    TrIdentityNumberRecognizer(), UaRnokppRecognizer(), RuPersonalInnRecognizer(), RuSnilsRecognizer(),
)
