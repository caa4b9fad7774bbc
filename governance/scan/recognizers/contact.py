"""E-mail addresses and phone numbers."""

from __future__ import annotations

import functools
import re
from typing import ClassVar

from governance.scan.recognizers.base import Hit, Pattern, ValueRecognizer, digit_count
from governance.scan.recognizers.dates import parse_date

# the regions phone numbers are tried in when the table does not say (its country column, or the
# majority international prefix): the markets the product serves first
FALLBACK_REGIONS = ("DE", "FR", "IT", "ES", "NL", "PL", "GB", "US", "AT", "BE", "PT", "CH", "IE", "SE", "DK")


class EmailRecognizer(ValueRecognizer):
    entity = "EMAIL_ADDRESS"
    names = (
        r"e_?mail|email_?address|mail_?address|e_mail_address|courriel|adresse_?(e_?)?mail|posta|"
        r"correo|correo_?electronico|emailadres|adres_?e?_?mail|mail"
    )
    free_text = True
    patterns = (Pattern("email", r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}", 0.9),)

    def pretest(self, value: str, digits: int) -> bool:
        return "@" in value


_PHONE_RUN = re.compile(r"((?:\+|00)?\(?\d[\d\s().\-/]{5,22}\d)(?:\s*(?:x|ext\.?|#)\s*\d{1,6}\b)?")
_PHONE_FORMATTED = re.compile(r"^\+|^00|\(\d+\)|\d[ .\-/]\d")
_PHONE_PREFIXED = re.compile(r"^\+|^00|^0|\(\d+\)")  # international prefix, trunk prefix, area code in parentheses
_GROUPED = re.compile(r"\d[ .\-/]\d")
_DOTTED_QUAD = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


@functools.lru_cache(maxsize=4096)
def _possible(digits_and_plus: str, region: str) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse(digits_and_plus, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)


@functools.lru_cache(maxsize=4096)
def _valid_in(digits_and_plus: str, region: str) -> bool:
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits_and_plus, region))
    except phonenumbers.NumberParseException:
        return False


def written_date(value: str) -> bool:
    """A date written with separators, in any of the forms the date-of-birth check reads (`18.06.1981.`,
    `1968. 09. 12.`, `18/06/1981`): a date, not a phone. (Eight bare digits are left to the phone
    check: `41231215` is a Norwegian mobile number as much as a day in the year 4123.)"""
    return len(value) <= 14 and not value.isdigit() and parse_date(value) is not None


def book_or_trade_code(digits: str) -> bool:
    """An ISBN-13 (Bookland EAN: 978 or 979 and the GS1 check digit): a book's number, not a phone.
    (+978 is unassigned and +979 a premium-rate service: no phone written without its `+` starts so.)"""
    if len(digits) != 13 or not digits.startswith(("978", "979")):
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def valid_international(digits: str) -> bool:
    """A run of digits that is a valid phone number once `+` is put in front (a phone stored as a number)."""
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse("+" + digits, None))
    except phonenumbers.NumberParseException:
        return False


@functools.lru_cache(maxsize=256)
def bare_number_plan(region: str) -> bool:
    """Does the region write its numbers as bare digits of one length: no trunk prefix, one length for
    fixed and mobile numbers (Norway, Denmark, Greece; not Germany's variable lengths, not France's 0)?"""
    from phonenumbers import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.national_prefix:
        return False
    lengths = set(metadata.fixed_line.possible_length) | set(metadata.mobile.possible_length)
    return len(lengths) == 1


def possible_international_code(digits: str) -> int | None:
    """The country calling code of a run of digits that is a possible phone number with `+` in front."""
    import phonenumbers

    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    return number.country_code if phonenumbers.is_possible_number(number) else None


class PhoneRecognizer(ValueRecognizer):
    """libphonenumber on each digit run, in the table's region (inferred from the data) or, for a
    number without its international prefix, the first fallback region where it is a possible number.
    A run of at least eight digits is clear when it carries what only phones carry: an international
    prefix, the trunk prefix 0, an area code in parentheses; or, in a table whose region is known,
    digits in groups that make a valid number of that region's numbering plan. A shorter number valid in
    the table's region (the seven-digit plans of Iceland and Estonia) is `regional`: it counts when
    most of the column is valid numbers of that region. Digits in groups
    without any of these (tariff codes `8471.30.00`, ISBNs `978-80-4315-965-7`, lot numbers) and bare
    runs of digits are a phone only when the column name says so; an ISBN-13 never is."""

    entity = "PHONE_NUMBER"
    names = (
        r"phone|phone_?(number|no|nr)|telephone|tel|tel_?no|mobile|mobile_?(number|no)|cell|cellphone|fax|msisdn|"
        r"telefon|telefonnummer|handy|mobil|telephone|portable|num_?tel|telefono|num_?telefono|cellulare|"
        r"movil|tlf|telefoon|telefoonnummer|mobiel|komorka|nr_?telefonu|numer_?telefonu|"
        # Icelandic, Estonian, Hungarian, Slovak and Czech, Croatian, Flemish
        r"simi|simanumer|farsimi|telefoninumber|mobiiltelefon|telefonszam|mobilszam|telefonne_?cislo|tel_?cislo|"
        r"mobitel|broj_?telefona|gsm|telefoonnr"
    )
    numeric_ok = True
    free_text = True
    max_digits: ClassVar[int] = 15

    def pretest(self, value: str, digits: int) -> bool:
        v = value.strip()
        return (
            digits >= 7
            and _PHONE_RUN.search(v) is not None
            and not _DOTTED_QUAD.match(v)
            and not written_date(v)
        )

    def analyze(self, value: str, region: str | None = None) -> list[Hit]:
        hits = []
        length = len(value.strip()) or 1
        for match in _PHONE_RUN.finditer(value):
            text = match.group(1).strip()  # the number without its extension
            digits = digit_count(text)
            if digits < 7 or digits > self.max_digits:
                continue
            compact = ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
            if book_or_trade_code(compact):
                continue
            if text.startswith("00"):
                compact = "+" + compact[2:]
            regions = (region, *FALLBACK_REGIONS) if region else FALLBACK_REGIONS
            ok = _possible(compact, "ZZ") if compact.startswith("+") else any(_possible(compact, r) for r in regions)
            if not ok:
                continue
            clear = digits >= 8 and (
                bool(_PHONE_PREFIXED.search(text))
                or (region is not None and bool(_GROUPED.search(text)) and _valid_in(compact, region))
            )
            whole = (match.end() - match.start()) >= 0.8 * length
            # a national plan of seven-digit numbers (Iceland, Estonia's landlines): too short to be clear
            # on its own, a phone when most of the column is valid numbers of the table's region
            # the same for eight digits and more written without groups where the national number is
            # written so: a plan without a trunk prefix and of one length (`41234567` in Norway, Denmark)
            regional = (
                not clear and whole and region is not None and (digits < 8 or bare_number_plan(region))
                and _valid_in(compact, region)
            )
            score = 0.75 if clear else (0.6 if regional else 0.4)
            hits.append(Hit(self.entity, match.start(), match.end(), score, whole, clear, regional))
        return hits
