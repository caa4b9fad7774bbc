"""National identifiers, each with its checksum (python-stdnum): a match counts only when it validates."""

from __future__ import annotations

import functools
import importlib
import re
from collections import Counter
from typing import Any, ClassVar

from governance.scan.recognizers.base import ColumnEvidence, ColumnRecognizer, Hit, Pattern, ValueRecognizer


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
    names = r"isikukood|ik"
    patterns = (Pattern("isikukood", r"\b[1-6]\d{10}\b", 0.3),)
    modules = ("ee.ik",)
    min_digits = 11


class LtPersonalCodeRecognizer(StdnumIdRecognizer):
    """Lithuanian personal code (asmens kodas): the Estonian code's form and check, so a column passes both;
    the table's country says which it is (`prefer_regional_identifier`)."""

    entity = "LT_PERSONAL_CODE"
    names = r"asmens_?kodas|ak_?nr"
    patterns = (Pattern("asmens kodas", r"\b[1-6]\d{10}\b", 0.3),)
    modules = ("lt.asmens",)
    min_digits = 11


class LvPersonalCodeRecognizer(StdnumIdRecognizer):
    """Latvian personal code (personas kods) of the form DDMMYY-CNNNN: the birth date, a century digit and
    a check digit. python-stdnum validates it within its VAT module (a person's VAT number is the
    personal code); a legal entity's number starts with 4-9, a person's with the day of birth (0-3)."""

    entity = "LV_PERSONAL_CODE"
    names = r"personas_?kods|pers_?kods|p_?kods"
    patterns = (Pattern("personas kods", r"\b[0-3]\d{5}-?[0-2]\d{4}\b", 0.3),)
    min_digits = 11

    def validate(self, text: str) -> bool | None:
        digits = re.sub(r"[\s-]", "", text)
        return bool(re.fullmatch(r"[0-3]\d{10}", digits)) and _stdnum_valid("lv.pvn", digits)


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
    CzBirthNumberRecognizer(), DkCprRecognizer(), EePersonalCodeRecognizer(), LtPersonalCodeRecognizer(),
    LvPersonalCodeRecognizer(), FiHetuRecognizer(),
    GrAmkaRecognizer(), HrOibRecognizer(), HuTaxIdRecognizer(), IePpsRecognizer(), IsKennitalaRecognizer(),
    NoBirthNumberRecognizer(), PtNifRecognizer(), RoCnpRecognizer(), SePersonnummerRecognizer(), SiEmsoRecognizer(),
    TrIdentityNumberRecognizer(), UaRnokppRecognizer(), RuPersonalInnRecognizer(), RuSnilsRecognizer(),
)


# --- outside Europe: the personal identifiers of Kazakhstan, Mexico, Brazil, Australia, Canada and
# Azerbaijan, each with the check its issuer defines


class KzIinRecognizer(StdnumIdRecognizer):
    """Kazakh individual identification number (IIN, ЖСН): the birth date YYMMDD, a digit for the century
    and sex (1-6), a serial of four and a check digit (the digits weighted 1 to 11, mod 11; when that is
    10, weighted 3 to 11, 1, 2; never 10). A company's BIN has the same check and no birth date: not this.
    python-stdnum has no module for it, so the check is here, on the same base."""

    entity = "KZ_IIN"
    names = r"iin|zhsn|jsn|iin_?nomiri|zheke_?sayikestendiru_?nomiri|individualnyy_?identifikatsionnyy_?nomer"
    patterns = (Pattern("iin", r"\b\d{6} ?\d{6}\b", 0.3),)
    min_digits = 12

    def validate(self, text: str) -> bool | None:
        return kz_iin_valid(text)


def kz_iin_valid(text: str) -> bool:
    import datetime as dt

    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{12}", digits) or digits[6] not in "123456":
        return False
    century = 1800 + 100 * ((int(digits[6]) - 1) // 2)
    try:
        dt.date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    values = [int(d) for d in digits[:11]]
    check = sum(d * w for d, w in zip(values, range(1, 12), strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(values, [*range(3, 12), 1, 2], strict=True)) % 11
    return check < 10 and check == int(digits[11])


class MxCurpRecognizer(StdnumIdRecognizer):
    """Mexican CURP: four letters of the name, the birth date, the sex, the state, three consonants, a
    homonym character and a check digit."""

    entity = "MX_CURP"
    names = r"curp|clave_?unica(_?de_?registro(_?de_?poblacion)?)?"
    patterns = (Pattern("curp", r"\b[A-Za-z]{4}\d{6}[HMXhmx][A-Za-z]{5}[0-9A-Za-z]\d\b", 0.5),)
    modules = ("mx.curp",)
    min_digits = 7
    numeric_ok = False

    def pretest(self, value: str, digits: int) -> bool:
        return 18 <= len(value) <= 40 and digits >= 7

    def validate(self, text: str) -> bool | None:
        return _stdnum_valid("mx.curp", text.upper())


class BrCpfRecognizer(StdnumIdRecognizer):
    """Brazilian CPF (a person's taxpayer number): nine digits and two check digits, `123.456.789-09`.
    (A company's CNPJ has fourteen: not this.)"""

    entity = "BR_CPF"
    names = r"cpf|num_?cpf|numero_?cpf|cpf_?cliente|cadastro_?pessoa_?fisica"
    patterns = (Pattern("cpf", r"\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b", 0.3),)
    modules = ("br.cpf",)
    min_digits = 11


class AuTfnRecognizer(StdnumIdRecognizer):
    """Australian tax file number: eight or nine digits with a weighted check, `123 456 782`."""

    entity = "AU_TFN"
    names = r"tfn|tax_?file_?(number|no|num)"
    patterns = (Pattern("tfn", r"\b\d{3} ?\d{3} ?\d{2,3}\b", 0.3),)
    modules = ("au.tfn",)
    min_digits = 8


class CaSinRecognizer(StdnumIdRecognizer):
    """Canadian social insurance number: nine digits with the Luhn check, `046-454-286`. (A business
    number has the same form and check; the company-number rule keeps a checksum identifier, so a column
    of bare ones is protected.)"""

    entity = "CA_SIN"
    names = r"sin|sin_?(number|no|num)|social_?insurance(_?(number|no|num))?|nas|numero_?d?_?assurance_?sociale"
    patterns = (Pattern("sin", r"\b\d{3}[- ]?\d{3}[- ]?\d{3}\b", 0.3),)
    modules = ("ca.sin",)
    min_digits = 9


_AZ_FIN = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")


class AzFinRecognizer(NationalIdRecognizer):
    """Azerbaijani personal identification code (FIN) of the identity card: seven capitals and digits, no
    check digit. Any short code has that shape, so it counts only under a column name that says FIN and
    when nearly all values have it (`decisions.NAMED_SHAPE_ENTITIES`)."""

    entity = "AZ_FIN"
    names = r"fin|fin_?kod(u)?|fin_?code|sexsiyyet_?fin|seksiyyet_?fin"
    patterns = (Pattern("fin", r"\b[0-9A-HJ-NP-Z]{7}\b", 0.5),)
    min_digits = 0
    numeric_ok = False
    needs_validation = False

    def pretest(self, value: str, digits: int) -> bool:
        return len(value) == 7

    def analyze(self, value: str, region: str | None = None) -> list[Hit]:
        if not _AZ_FIN.match(value):
            return []
        return [Hit(self.entity, 0, len(value), 0.5, True, clear=False)]


OTHER_COUNTRY_ID_RECOGNIZERS: tuple[NationalIdRecognizer, ...] = (
    KzIinRecognizer(), MxCurpRecognizer(), BrCpfRecognizer(), AuTfnRecognizer(), CaSinRecognizer(), AzFinRecognizer(),
)


# --- every other person's identifier python-stdnum validates: a generic NATIONAL_ID -------------------

# python-stdnum's modules whose description names a person's identifier (identity, birth, social-security
# or tax number of individuals) and no company, business or VAT number, that no dedicated recognizer above
# covers (the Lithuanian asmens kodas is the Estonian isikukood's form, the Slovak birth number the
# Czech one), and that validate few random strings of their own shape (`random_pass_rate` at most
# `MAX_RANDOM_PASS_RATE`: one check digit's worth). A module with an entity name of the policy reports it;
# the others report NATIONAL_ID.
PERSONAL_ID_MODULES: dict[str, str] = {
    "be.bis": "NATIONAL_ID", "bg.pnf": "NATIONAL_ID", "ca.bc_phn": "NATIONAL_ID", "cl.rut": "NATIONAL_ID",
    "cn.ric": "NATIONAL_ID", "cr.cr": "NATIONAL_ID", "cu.ni": "NATIONAL_ID", "do.cedula": "NATIONAL_ID",
    "ec.ci": "NATIONAL_ID", "fr.nif": "NATIONAL_ID", "gb.nhs": "UK_NHS", "gb.upn": "NATIONAL_ID",
    "id.nik": "NATIONAL_ID", "il.idnr": "NATIONAL_ID", "in_.aadhaar": "NATIONAL_ID", "in_.epic": "NATIONAL_ID",
    "in_.vid": "NATIONAL_ID", "jp.in_": "NATIONAL_ID", "kr.rrn": "NATIONAL_ID", "my.nric": "NATIONAL_ID",
    "nl.onderwijsnummer": "NATIONAL_ID", "pt.cc": "NATIONAL_ID", "th.pin": "NATIONAL_ID", "us.itin": "US_ITIN",
    "us.ptin": "NATIONAL_ID", "za.idnr": "NATIONAL_ID",
}
# persons' modules left out, and why: no check digit (nearly every string of their shape passes); the
# Mauritian national ID (mu.nid) is left out too, its documentation shows no example to measure it on
TOO_PERMISSIVE_MODULES = ("ar.dni", "cr.cpf", "fi.veronumero", "us.atin", "nl.identiteitskaartnummer", "pe.cui",
                          "pk.cnic")
GENERIC_ID_ENTITIES = tuple(sorted(set(PERSONAL_ID_MODULES.values())))
MAX_RANDOM_PASS_RATE = 0.12
_PERSONAL_ID_SHAPE = re.compile(r"^[A-Z0-9][A-Z0-9 .\-/]{5,22}[A-Z0-9]$")
_DOC_EXAMPLE = re.compile(r">>> (?:validate|is_valid)\('([^']+)'\)")


def module_examples(module: str) -> list[str]:
    """The valid numbers a python-stdnum module's own documentation shows."""
    found = _DOC_EXAMPLE.findall(_stdnum_module(module).__doc__ or "")
    return [example for example in found if _stdnum_valid(module, example)]


def random_pass_rate(module: str, trials: int = 2000, seed: int = 1) -> float:
    """The share of random strings of the module's own shape (its documented examples with every digit
    and letter drawn at random) that it validates: about 0.1 for one check digit, near 1 for none."""
    import random
    import string

    examples = module_examples(module)
    if not examples:
        return 1.0  # nothing to measure it on: counted as permissive
    rng = random.Random(seed)
    passed = 0
    for i in range(trials):
        shaped = "".join(
            rng.choice(string.digits) if c.isdigit() else rng.choice(string.ascii_uppercase) if c.isalpha() else c
            for c in examples[i % len(examples)]
        )
        passed += _stdnum_valid(module, shaped)
    return passed / trials


@functools.cache
def module_lengths(module: str) -> frozenset[int]:
    """The lengths (separators removed) of the numbers a module's documentation shows, one either side:
    a module whose check runs over any length (the Portuguese citizen card's is Luhn's, over as many
    digits as it is given) is not taken for a card number's or any other number's of another length."""
    lengths = {len(_compact(module, example)) for example in module_examples(module)}
    return frozenset(n + d for n in lengths for d in (-1, 0, 1))


def _compact(module: str, value: str) -> str:
    try:
        return str(_stdnum_module(module).compact(value))
    except Exception:  # no compact() or a value it cannot read: separators removed by hand
        return _bare(value)


def _bare(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", value)


def _personal_valid(module: str, value: str) -> bool:
    return len(_bare(value)) in module_lengths(module) and _stdnum_valid(module, value)


def personal_identifier_match(values: list[str], min_share: float, max_values: int = 40) -> tuple[str | None, float]:
    """(the module, its share) when one personal module of `PERSONAL_ID_MODULES` validates at least
    `min_share` of the values (at most `max_values`); (None, 0.0) otherwise. A random number passes one
    module's check about one time in ten: one module must validate nearly all values."""
    sample = [v.strip().upper() for v in values[:max_values] if v.strip()]
    if len(sample) < 5:
        return None, 0.0
    if sum(1 for v in sample if _PERSONAL_ID_SHAPE.match(v) and sum(c.isdigit() for c in v) >= 6) < min_share * len(sample):
        return None, 0.0
    allowed_misses = int((1 - min_share) * len(sample))
    lengths = Counter(len(_bare(v)) for v in sample)
    best: tuple[str | None, float] = (None, 0.0)
    for module in PERSONAL_ID_MODULES:
        if sum(lengths[n] for n in module_lengths(module)) < len(sample) - allowed_misses:
            continue  # too few values of the lengths its numbers have
        misses = 0
        for value in sample:
            if not _personal_valid(module, value):
                misses += 1
                if misses > allowed_misses:
                    break
        else:
            share = 1 - misses / len(sample)
            if share > best[1]:
                best = (module, share)
    return best


class PersonalIdentifierRecognizer(ColumnRecognizer):
    """A column nearly all of whose values one python-stdnum module for persons' identifiers validates
    (`PERSONAL_ID_MODULES`): a national identifier without a recognizer of its own. The evidence names
    the module's entity (NATIONAL_ID unless the policy has one for it)."""

    entity = "NATIONAL_ID"
    min_share: ClassVar[float] = 0.9

    def judge(self, values: list[str], region: str | None = None) -> ColumnEvidence | None:
        module, share = personal_identifier_match(values, self.min_share)
        if module is None:
            return None
        return ColumnEvidence(PERSONAL_ID_MODULES[module], share, 0.8)
